#!/usr/bin/env bash
# Start-to-ready of admission-service (JVM mode) with NAMESPACES x PER_NS PodDefaults, per JVM: the default JDK, a
# JDK 25 (JDK25_HOME) without and with an AOT cache (JEP 483/515, Project Leyden). Documented in docs/benchmarks.md,
# section "admission-service". Run run-benchmark.sh once first (it builds everything and writes the certificates).
#
#   JDK25_HOME=<a JDK 25> admission-service/bench/startup.sh        (from the repository root)
#
# The AOT cache is made by a training run of the JDK 25 JVM on the fast-jar (-XX:AOTCacheOutput): the service starts
# against the same API stand-in, fills its cache, answers TRAIN_REQUESTS reviews and is stopped; the JVM writes the
# cache as it exits. Each variant is then started RUNS times: launch -> /q/health/ready UP (cache filled), and the
# RSS once ready.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE=admission-service
OUT=${OUT:-$MODULE/target/bench}
NAMESPACES=${NAMESPACES:-1000}
PER_NS=${PER_NS:-10}
RUNS=${RUNS:-3}
TRAIN_REQUESTS=${TRAIN_REQUESTS:-300}
API_PORT=${API_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}
MGMT_PORT=${MGMT_PORT:-19000}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
JDK25_HOME=${JDK25_HOME:-}    # a JDK 25 (Temurin 25 was used); without it only the default JDK is measured
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/bench-classpath.txt")"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# now_ms, wait_for, start_api, start_service: shared with run-benchmark.sh and ab.sh; readiness polled every 50 ms
source $MODULE/bench/servers.sh
WAIT_STEP=0.05

start_api "$API_PORT" "$NAMESPACES" "$PER_NS" same 2g "$OUT/startup-api.log"
python3 $MODULE/bench/notebook-review.py "$(printf 'user-%04d' $((NAMESPACES / 2)))" 3 > "$OUT/review.json"

start() { # java extra-options... ; sets PID, READY_MS
  local java=$1; shift
  JAVA_CMD=$java start_service $MODULE/target/quarkus-app "$HTTPS_PORT" "$MGMT_PORT" "$API_PORT" \
      "$OUT/startup-service.log" "$@"
  PID=$SVC_PID
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

measure() { # label java extra-options...
  local label=$1; shift
  local times=() rss=()
  for _ in $(seq 1 "$RUNS"); do
    start "$@"
    times+=("$READY_MS"); rss+=("$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$PID/status")")
    stop "$PID"
  done
  echo "$label: start to ready ${times[*]} ms (RSS when ready ${rss[*]} MiB)"
}

{
  echo "start to ready, $((NAMESPACES * PER_NS)) PodDefaults, JVM options $JAVA_OPTS, $RUNS runs each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  measure "$(java -version 2>&1 | head -1)" java
  if [ -n "$JDK25_HOME" ]; then
    J25="$JDK25_HOME/bin/java"
    measure "$("$J25" -version 2>&1 | head -1), no AOT cache" "$J25"
    rm -f "$OUT/app.aot"
    start "$J25" -XX:AOTCacheOutput="$OUT/app.aot"
    for _ in $(seq 1 "$TRAIN_REQUESTS"); do
      curl -sk -o /dev/null -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "https://127.0.0.1:$HTTPS_PORT/apply-poddefault"
    done
    stop "$PID"
    echo "AOT cache: $(du -m "$OUT/app.aot" | cut -f1) MiB, from a training run answering $TRAIN_REQUESTS reviews"
    measure "$("$J25" -version 2>&1 | head -1), AOT cache" "$J25" -XX:AOTCache="$OUT/app.aot"
  else
    echo "no JDK 25 found (set JDK25_HOME): AOT cache not measured"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/startup.txt"
