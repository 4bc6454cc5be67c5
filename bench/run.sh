#!/usr/bin/env bash
# Warden load benchmark: direct vs Warden vs Portkey on one local upstream, in one run.
#
#   bench/run.sh                    # 1,000 req/s for 20 s per target (plain), then 10 s of streams, prints a table
#   RATE=5000 bench/run.sh          # same at 5,000 req/s
#   bench/run.sh soak               # 10 minutes at RATE against Warden, RSS every 30 s (SOAK_MINUTES, TARGET)
#   bench/run.sh jmh                # JMH micro-benchmarks (short: 1 fork, 2x1 s warm-up, 3x1 s measurement)
#   bench/run.sh compare --help     # any other arguments go to the harness (see README.md)
#
# Environment: RATE, DURATION (s), WARMUP (s), LEAD_IN (s, default 5: unrecorded requests on each phase's own
# connections right before its measured window), STREAM_RATE, STREAM_DURATION (s), TARGETS (direct,relay,warden,warden-api,warden-relaxed,portkey),
# CONNECTIONS, LATENCY_MS, CHUNKS, CHUNK_DELAY_MS, WARDEN_JAVA_OPTS, WARDEN_CONFIG (a warden.yaml template in which
# ${UPSTREAM_BASE_URL} is replaced), OUT (also write the table to this file), SOAK_MINUTES, TARGET, ENGINE (nio, the
# default, or threads: the original load generator and upstream, to measure the harness's own cost), LOAD_THREADS
# (event loops of the nio load generator, default 1), TIMELINE (write a per-second CSV timeline of every measured
# phase to this file), HARNESS_JAVA_OPTS (JVM options of the harness JVM, which runs the load generator),
# UPSTREAM_JAVA_OPTS (JVM options of the fake upstream).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
cd "$BENCH"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
find_java() {
  local c
  for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-2[5-9]*/bin/java /usr/lib/jvm/temurin-2[1-4]*/bin/java \
           "$(command -v java || true)"; do
    [[ -n "$c" && -x "$c" ]] || continue
    local m; m="$(java_major "$c" || true)"
    if [[ -n "$m" && "$m" -ge 21 ]]; then echo "$c"; return 0; fi
  done
  return 1
}
JAVA="$(find_java)" || { echo "run.sh: Java 21 or newer is required (set JAVA_HOME)" >&2; exit 2; }
export JAVA_HOME="$(dirname "$(dirname "$JAVA")")"

JAR="$BENCH/target/warden-bench.jar"
if [[ ! -f "$JAR" || -n "$(find "$BENCH/src" "$BENCH/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo "run.sh: building the harness..." >&2
  mvn -B -q -DskipTests package >&2
fi

need_portkey() {
  if [[ ! -f node_modules/@portkey-ai/gateway/build/start-server.js ]]; then
    echo "run.sh: installing the Portkey gateway (npm ci)..." >&2
    npm ci --no-audit --no-fund --silent >&2
  fi
  node peers/patch-portkey.mjs >&2
}

cmd="${1:-compare}"
[[ $# -gt 0 ]] && shift
common=(--connections "${CONNECTIONS:-128}" --latency-ms "${LATENCY_MS:-0}" --chunks "${CHUNKS:-5}"
        --chunk-delay-ms "${CHUNK_DELAY_MS:-0}" --warden-bin "$ROOT/bin/warden" --work-dir "$BENCH/results/work"
        --warden-java-opts "${WARDEN_JAVA_OPTS:-}" --engine "${ENGINE:-nio}" --threads "${LOAD_THREADS:-1}")
[[ -n "${WARDEN_CONFIG:-}" ]] && common+=(--warden-config "$WARDEN_CONFIG")
[[ -n "${TIMELINE:-}" ]] && common+=(--timeline "$TIMELINE")
[[ -n "${UPSTREAM_JAVA_OPTS:-}" ]] && common+=(--upstream-java-opts "$UPSTREAM_JAVA_OPTS")
# The harness JVM runs the load generator. Its default (G1, 2 GC threads, a heap sized from the machine) paused
# 6-49 ms every 30-60 s at 5,000 req/s, and every such pause is charged to the target being measured. A young
# generation that takes minutes to fill, touched up front and collected by one thread, keeps collections out of
# the measured phases (and short when one happens). Set HARNESS_JAVA_OPTS to override (e.g. to add -Xlog:gc).
# shellcheck disable=SC2206
harness_opts=(${HARNESS_JAVA_OPTS:--Xms1g -Xmx1g -Xmn768m -XX:+UseSerialGC -XX:+AlwaysPreTouch})

case "$cmd" in
  compare)
    targets="${TARGETS:-direct,relay,warden,warden-api,warden-relaxed,portkey}"
    [[ "$targets" == *portkey* ]] && need_portkey
    rate="${RATE:-1000}"
    exec "$JAVA" "${harness_opts[@]}" -jar "$JAR" compare --rate "$rate" --duration "${DURATION:-20}" --warmup "${WARMUP:-5}" --lead-in "${LEAD_IN:-5}" \
      --stream-rate "${STREAM_RATE:-$rate}" --stream-duration "${STREAM_DURATION:-10}" --targets "$targets" \
      --label "${LABEL:-$rate req/s on $(nproc) cores, $(date -u +%Y-%m-%d)}" \
      ${OUT:+--out "$OUT"} ${RELAY_THREADS:+--relay-threads "$RELAY_THREADS"} "${common[@]}" "$@" ;;
  soak)
    [[ "${TARGET:-warden}" == portkey ]] && need_portkey
    exec "$JAVA" "${harness_opts[@]}" -jar "$JAR" soak --minutes "${SOAK_MINUTES:-10}" --rate "${RATE:-1000}" --target "${TARGET:-warden}" \
      --every "${EVERY:-30}" --warmup "${WARMUP:-10}" "${common[@]}" "$@" ;;
  jmh)
    if [[ $# -eq 0 ]]; then set -- -f 1 -wi 2 -w 1s -i 3 -r 1s; fi
    exec "$JAVA" -jar "$JAR" jmh "$@" ;;
  upstream|relay|load)
    exec "$JAVA" -jar "$JAR" "$cmd" "$@" ;;
  *)
    echo "usage: bench/run.sh [compare|soak|jmh|upstream|relay|load] [options]" >&2; exit 2 ;;
esac
