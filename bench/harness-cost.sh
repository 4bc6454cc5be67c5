#!/usr/bin/env bash
# What the harness itself costs: CPU µs per request of the load generator and of the fake upstream, per engine.
#
#   bench/harness-cost.sh                       # nio and threads, plain and stream, 5,000 req/s for 15 s each
#   ENGINES=nio MODES=plain bench/harness-cost.sh
#
# For each engine and mode: starts `upstream` (with the JVM options the compare run gives it), runs `load` against it
# directly, and reads both processes' user + system CPU from /proc/<pid>/stat at WARM seconds into the run and again
# DURATION - WARM - 2 seconds later; CPU µs/request = ticks difference (100 a second) / (RATE × that window).
# Environment: ENGINES (nio threads), MODES (plain stream), RATE (5000), DURATION (15), WARM (4), PORT (19101),
# CONNECTIONS (128), LOAD_JAVA_OPTS, UPSTREAM_JAVA_OPTS (default: the compare run's, see Lab.UPSTREAM_JAVA_OPTS), JAR (defaults to target/warden-bench.jar, built if missing).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$JAVA" ]] || JAVA="$(command -v java)"
JAR="${JAR:-$BENCH/target/warden-bench.jar}"
if [[ ! -f "$JAR" ]]; then
  (cd "$BENCH" && mvn -B -q -DskipTests package >&2)
fi
RATE="${RATE:-5000}"; DURATION="${DURATION:-15}"; WARM="${WARM:-4}"; PORT="${PORT:-19101}"
CONNECTIONS="${CONNECTIONS:-128}"
WINDOW=$((DURATION - WARM - 2))
(( WINDOW >= 3 )) || { echo "harness-cost.sh: DURATION must be at least WARM + 5" >&2; exit 2; }

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
now_ns() { date +%s%N; }

up_pid=""
cleanup() { [[ -n "$up_pid" ]] && kill "$up_pid" 2>/dev/null || true; }
trap cleanup EXIT

echo "| engine | mode | rate | ok | errors | p50 ms | p99 ms | p99.9 ms | TTFT p50 ms | load gen CPU µs/req | upstream CPU µs/req | load avg |"
echo "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for engine in ${ENGINES:-nio threads}; do
  for mode in ${MODES:-plain stream}; do
    # shellcheck disable=SC2086
    "$JAVA" ${UPSTREAM_JAVA_OPTS:--Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch} -jar "$JAR" upstream \
      --port "$PORT" --engine "$engine" \
      > "/tmp/harness-cost-upstream.$$.log" 2>&1 &
    up_pid=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$PORT/v1/models" > /dev/null 2>&1 && break
      sleep 0.1
    done
    out="/tmp/harness-cost-load.$$.out"
    # shellcheck disable=SC2086
    "$JAVA" ${LOAD_JAVA_OPTS:-} -jar "$JAR" load --url "http://127.0.0.1:$PORT/v1/chat/completions" --rate "$RATE" \
      --duration "$DURATION" --connections "$CONNECTIONS" --header 'Authorization: Bearer x' --engine "$engine" \
      $([[ "$mode" == stream ]] && echo --stream) > "$out" 2>&1 &
    load_pid=$!
    sleep "$WARM"
    l0=$(ticks "$load_pid"); u0=$(ticks "$up_pid"); t0=$(now_ns)
    sleep "$WINDOW"
    l1=$(ticks "$load_pid"); u1=$(ticks "$up_pid"); t1=$(now_ns)
    wait "$load_pid" || true
    kill "$up_pid" 2>/dev/null || true
    wait "$up_pid" 2>/dev/null || true
    up_pid=""
    requests=$(awk -v r="$RATE" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", r * (b - a) / 1e9 }')
    per() { awk -v d="$1" -v n="$requests" 'BEGIN { printf "%.0f", d * 10000 / n }'; } # ticks × 10,000 µs
    pct() { awk -v p="$1" '$2 ~ /^[0-9.]+$/ && $2 + 0 >= p { print $1; exit }' "$out"; }
    summary=$(grep -m1 ' intended, ' "$out" || echo "no result")
    ok=$(sed -E 's/^[0-9]+ intended, ([0-9]+) ok.*/\1/' <<< "$summary")
    errors=$(sed -E 's/.*errors (\{.*\})$/\1/' <<< "$summary")
    ttft=$(sed -nE 's/^TTFT p50 ([0-9.]+) ms.*/\1/p' "$out")
    echo "| $engine | $mode | $RATE | $ok | $errors | $(pct 0.5) | $(pct 0.99) | $(pct 0.999) | ${ttft:-} | $(per $((l1 - l0))) | $(per $((u1 - u0))) | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
