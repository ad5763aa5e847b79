#!/usr/bin/env bash
# Two builds of admission-service side by side with the route ceiling, saturated by wrk in short alternating slices:
# how a change moves the service's throughput and CPU per request against the ceiling of the same rounds. The
# harness of docs/benchmarks.md ("Harness runs of 2026-12-04 evening", "Runs 75-77"); run-benchmark.sh stays the
# benchmark of record.
#
# From the repository root, after the bench build of run-benchmark.sh (SKIP_BUILD=false, or the mvn command there):
#   A_APP=<a quarkus-app directory> B_APP=<another> admission-service/bench/ab.sh
# knobs (environment): A_APP B_APP (default: admission-service/target/quarkus-app for both, a control run)
#                      A_OPTS B_OPTS (JVM options of A or B only, after JAVA_OPTS)
#                      JAVA_OPTS (all three servers; default the Deployment's) ROUNDS=8 SLICE=6 WARM=15 C=64
#                      NAMESPACE=user-0500 (the review's namespace) PROFILE=false OUT=admission-service/target/ab
#                      PROFILER_OPTS (more async-profiler options with PROFILE=true, e.g. -t: each thread apart)
#
# Each round drives A, B and the route ceiling in that order for SLICE seconds each. The order is not neutral: in the
# runs of docs/benchmarks.md one position came out ahead of the other by up to 0.09 of the ceiling's throughput with
# the same build in both, so compare two builds in both positions (swap A and B) and against a control run.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE=admission-service
OUT=${OUT:-$MODULE/target/ab}
ROUNDS=${ROUNDS:-8}; SLICE=${SLICE:-6}; WARM=${WARM:-15}; C=${C:-64}; NAMESPACE=${NAMESPACE:-user-0500}
JAVA_CMD=java
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -Xms512m -XX:+UseParallelGC -XX:+UseTransparentHugePages}
A_APP=${A_APP:-$MODULE/target/quarkus-app}; B_APP=${B_APP:-$A_APP}
PROFILE=${PROFILE:-false}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat $MODULE/target/bench-classpath.txt)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
# the processes started as run-benchmark.sh starts them
source $MODULE/bench/servers.sh

make_certificate > /dev/null
start_api 28080 1000 10 same 2g "$OUT/api.log"
# A_OPTS and B_OPTS: options of one build only, split into words
# shellcheck disable=SC2086
start_service "$A_APP" 28443 29000 28080 "$OUT/a.log" ${A_OPTS:-}; declare -A PID=([a]=$SVC_PID)
# shellcheck disable=SC2086
start_service "$B_APP" 28444 29001 28080 "$OUT/b.log" ${B_OPTS:-}; PID[b]=$SVC_PID
python3 $MODULE/bench/notebook-review.py "$NAMESPACE" 3 > "$OUT/review.json"
declare -A URL=([a]=https://127.0.0.1:28443/apply-poddefault [b]=https://127.0.0.1:28444/apply-poddefault
  [r]=https://127.0.0.1:28445/routes/apply-poddefault)
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "${URL[a]}" > "$OUT/a.json"
PATCH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["response"]["patch"])' "$OUT/a.json")
start_ceiling "$OUT/r.log" "$PATCH" 28445 "${URL[r]}"; PID[r]=$STARTED_PID

saturate() { BODY="$OUT/review.json" wrk -t2 -c"$C" -d"$2"s -s $MODULE/bench/post.lua "${URL[$1]}"; }
for t in a b r; do saturate $t "$WARM" > /dev/null; done
if [ "$PROFILE" = true ]; then
  fetch_profiler
  # shellcheck disable=SC2086
  for t in a b r; do profiler start -e ctimer ${PROFILER_OPTS:-} "${PID[$t]}"; done
fi
: > "$OUT/slices.txt"
for i in $(seq 1 "$ROUNDS"); do for t in a b r; do
  c0=$(cpu_ticks "${PID[$t]}"); saturate $t "$SLICE" > "$OUT/wrk.txt"; c1=$(cpu_ticks "${PID[$t]}")
  echo "$i $t $(awk '/requests in/ {print $1}' "$OUT/wrk.txt") $((c1 - c0))" >> "$OUT/slices.txt"
done; done
if [ "$PROFILE" = true ]; then
  for t in a b r; do profiler stop -o collapsed -f "$OUT/$t.collapsed" "${PID[$t]}"; done
fi
# per server: requests per second and its share of the ceiling's, CPU us per request (clock ticks of 10 ms) and the
# ceiling's over it
python3 - "$OUT/slices.txt" "$SLICE" <<'PY' | tee "$OUT/summary.txt"
import collections, sys
rows = [line.split() for line in open(sys.argv[1])]
slice_s = float(sys.argv[2])
per = collections.defaultdict(list)
for i, t, n, c in rows:
    per[t].append((int(i), int(n), int(c)))
def total(t):
    n = sum(x[1] for x in per[t]); c = sum(x[2] for x in per[t])
    return n / (slice_s * len(per[t])), c * 1e4 / n
r_thr, r_cpu = total('r')
for t, name in (('a', 'A'), ('b', 'B'), ('r', 'route ceiling')):
    thr, cpu = total(t)
    print(f"{name}: {thr:8.0f} req/s {cpu:5.1f} us/req  share of the ceiling's throughput {thr / r_thr:.3f}"
          f"  ceiling's CPU per request / this {r_cpu / cpu:.3f}")
for i in sorted({x[0] for x in per['a']}):
    print(f"round {i}: " + '  '.join(f"{t} {n / slice_s:.0f}/{c * 1e4 / n:.1f}" for t in 'abr'
                                       for j, n, c in per[t] if j == i))
PY
