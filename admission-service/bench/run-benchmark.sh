#!/usr/bin/env bash
# admission-service benchmark (JVM mode). Documented in docs/benchmarks.md, section "admission-service".
#
#   admission-service/bench/run-benchmark.sh            (from the repository root; needs hey, wrk, curl, python3, jcmd)
#
# 1. builds the service (quarkus-run.jar) and the test classpath (API stand-in, certificate generator);
# 2. baseline: starts the API stand-in empty and the service against it, measures heap after full GC;
# 3. starts the API stand-in loaded with NAMESPACES x PER_NS PodDefaults and the service against it (HTTPS with a
#    generated self-signed certificate, as in production); measures heap after full GC and the latency of a LIST of
#    one namespace's PodDefaults straight from the API stand-in; measures how soon a PodDefault created, changed or
#    deleted in the API is reflected in the webhook's answers (bench/propagation.py);
# 4. drives POST /apply-poddefault with a realistic notebook-pod AdmissionReview (3 of the namespace's 10 PodDefaults
#    match): warm-up; a fixed rate twice: wrk paced by bench/paced.lua (a C client: little CPU taken from the
#    service) and hey (per-request latencies -> p50/p99/p99.9; a Go client that costs ~1 ms per request itself);
#    then saturation with wrk and hey.
# hey is given -host localhost: it otherwise sends "host:port" as TLS SNI, which the JDK rejects (illegal_parameter).
# Client-side latencies (hey, wrk) include the load generator's own scheduling on the same 2 cores; the
# server-side figure comes from the service's Prometheus histogram (body received -> answer built).
# Results: $OUT/summary.txt (and raw files beside it).
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE=admission-service
OUT=${OUT:-$MODULE/target/bench}
NAMESPACES=${NAMESPACES:-1000}
PER_NS=${PER_NS:-10}
MATCHES=${MATCHES:-3}
API_PORT=${API_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}
MGMT_PORT=${MGMT_PORT:-19000}
RATE=${RATE:-2000}
RATE_WORKERS=${RATE_WORKERS:-20}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-16}
PROPAGATION_ROUNDS=${PROPAGATION_ROUNDS:-20}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-64}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
SKIP_BUILD=${SKIP_BUILD:-false}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ "$SKIP_BUILD" != true ]; then
  mvn -B -q -pl $MODULE -am install -DskipTests
  mvn -B -q -pl $MODULE test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt"
fi
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$OUT/test-classpath.txt")"

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 600); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.5; done
  echo "timeout waiting for $what" >&2; exit 1
}

start_api() { # count-namespaces per-namespace log
  java -Xmx2g -cp "$CP" dev.grantflow.admission.bench.BenchApiServer "$API_PORT" "$1" "$2" > "$3" 2>&1 &
  API_PID=$!; PIDS+=("$API_PID")
  wait_for "API stand-in" grep -q READY "$3"
}

start_service() { # log
  GRANTFLOW_TLS_CERT_FILE="$OUT/certs/tls.crt" GRANTFLOW_TLS_KEY_FILE="$OUT/certs/tls.key" \
  java $JAVA_OPTS -Dquarkus.kubernetes-client.api-server-url="http://127.0.0.1:$API_PORT" \
       -Dquarkus.http.ssl-port="$HTTPS_PORT" -Dquarkus.management.port="$MGMT_PORT" \
       -jar $MODULE/target/quarkus-app/quarkus-run.jar > "$1" 2>&1 &
  SVC_PID=$!; PIDS+=("$SVC_PID")
  wait_for "service readiness" curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready"
}

heap_after_gc() { # pid -> used KiB after two full GCs
  jcmd "$1" GC.run >/dev/null; sleep 1; jcmd "$1" GC.run >/dev/null; sleep 1
  jcmd "$1" GC.heap_info | grep -Eo 'used [0-9]+K' | head -1 | grep -Eo '[0-9]+'
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

java -cp "$CP" dev.grantflow.admission.tls.SelfSignedCertificate "$OUT/certs" localhost

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== baseline: empty API stand-in"
start_api 0 0 "$OUT/api-empty.log"
start_service "$OUT/service-empty.log"
BASE_KB=$(heap_after_gc "$SVC_PID")
stop "$SVC_PID"; stop "$API_PID"

echo "== loaded: $NAMESPACES namespaces x $PER_NS PodDefaults"
start_api "$NAMESPACES" "$PER_NS" "$OUT/api.log"
start_service "$OUT/service.log"
curl -s "http://127.0.0.1:$MGMT_PORT/q/health/ready" > "$OUT/ready.json"
LOADED_KB=$(heap_after_gc "$SVC_PID")
jcmd "$SVC_PID" GC.class_histogram | head -25 > "$OUT/class-histogram.txt"

NS=$(printf 'user-%04d' $((NAMESPACES / 2)))
LIST_URL="http://127.0.0.1:$API_PORT/apis/kubeflow.org/v1alpha1/namespaces/$NS/poddefaults"
: > "$OUT/list.txt"
for _ in $(seq 1 200); do curl -s -o /dev/null -w '%{time_total}\n' "$LIST_URL" >> "$OUT/list.txt"; done
LIST_ITEMS=$(curl -s "$LIST_URL" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')

python3 $MODULE/bench/notebook-review.py "$NS" "$MATCHES" > "$OUT/review.json"
URL="https://127.0.0.1:$HTTPS_PORT/apply-poddefault"
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "$URL" > "$OUT/sample-response.json"
python3 - "$OUT/sample-response.json" "$MATCHES" <<'PY'
import base64, json, sys
r = json.load(open(sys.argv[1]))["response"]
ops = json.loads(base64.b64decode(r["patch"]))
markers = [o for o in ops if "poddefault.admission.kubeflow.org" in json.dumps(o)]
assert r["allowed"] and r["patchType"] == "JSONPatch", r
print("sample answer: allowed, %d patch operations, %d bytes of patch" % (len(ops), len(base64.b64decode(r["patch"]))))
PY

echo "== propagation: PodDefault created / changed / deleted -> reflected in answers, $PROPAGATION_ROUNDS rounds"
PROPAGATION=$(python3 $MODULE/bench/propagation.py "http://127.0.0.1:$API_PORT" "$URL" "$NS" "$PROPAGATION_ROUNDS")

echo "== warm-up ${WARMUP}s"
hey -host localhost -z "${WARMUP}s" -c 16 -m POST -T application/json -D "$OUT/review.json" "$URL" > "$OUT/warmup.txt"

echo "== fixed rate $RATE req/s for ${DURATION}s (wrk, paced, $RATE_CONNECTIONS connections)"
curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" > "$OUT/metrics-before-rate.txt"
BODY="$OUT/review.json" RATE="$RATE" THREADS=2 wrk -t2 -c"$RATE_CONNECTIONS" -d"${DURATION}s" -s $MODULE/bench/paced.lua "$URL" > "$OUT/paced.txt"
PACED_RESULT=$(grep '^rate-result:' "$OUT/paced.txt" | cut -d' ' -f2-)
curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" > "$OUT/metrics-after-rate.txt"
RATE_SERVER=$(python3 $MODULE/bench/histogram.py "$OUT/metrics-before-rate.txt" "$OUT/metrics-after-rate.txt")

echo "== fixed rate $RATE req/s for ${DURATION}s (hey)"
hey -host localhost -z "${DURATION}s" -c "$RATE_WORKERS" -q $((RATE / RATE_WORKERS)) -m POST -T application/json -D "$OUT/review.json" -o csv "$URL" > "$OUT/rate.csv"
RATE_RESULT=$(python3 $MODULE/bench/percentiles.py hey "$OUT/rate.csv" "$DURATION")

echo "== saturation, $CONNECTIONS connections for ${DURATION}s (wrk)"
BODY="$OUT/review.json" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s $MODULE/bench/post.lua "$URL" > "$OUT/wrk.txt"
echo "== saturation, $CONNECTIONS connections for ${DURATION}s (hey, for p99.9)"
hey -host localhost -z "${DURATION}s" -c "$CONNECTIONS" -m POST -T application/json -D "$OUT/review.json" -o csv "$URL" > "$OUT/saturated.csv"
SAT_HEY=$(python3 $MODULE/bench/percentiles.py hey "$OUT/saturated.csv" "$DURATION")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
HEAP_AFTER_LOAD_KB=$(heap_after_gc "$SVC_PID")

curl -s "http://127.0.0.1:$MGMT_PORT/q/metrics" | grep -E '^grantflow_admission_(decisions_total|cache_)' > "$OUT/metrics.txt" || true

{
  echo "admission-service benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo "service JVM options: $JAVA_OPTS; HTTPS; PodDefaults: $NAMESPACES namespaces x $PER_NS; pod matches $MATCHES"
  echo "machine load average (1/5/15 min) before: $LOAD_BEFORE, after the load tests: $LOAD_AFTER (the load generators run on the same cores)"
  echo "readiness: $(cat "$OUT/ready.json" | tr -d '\n' | cut -c1-300)"
  echo "LIST of one namespace's PodDefaults ($LIST_ITEMS items) from the API stand-in (curl, 200 times): $(python3 $MODULE/bench/percentiles.py list "$OUT/list.txt")"
  echo "heap after full GC: empty cache $((BASE_KB / 1024)) MiB, 10k PodDefaults $((LOADED_KB / 1024)) MiB -> cache $(((LOADED_KB - BASE_KB) / 1024)) MiB ($(((LOADED_KB - BASE_KB) * 1024 / (NAMESPACES * PER_NS > 0 ? NAMESPACES * PER_NS : 1))) bytes per PodDefault); after the load test $((HEAP_AFTER_LOAD_KB / 1024)) MiB"
  echo "propagation (API write answered -> webhook answer reflects it; target within 1 s): $PROPAGATION"
  echo "fixed rate $RATE req/s (wrk, paced, $RATE_CONNECTIONS connections): $PACED_RESULT"
  echo "fixed rate (wrk, paced), server-side processing time (body received -> answer built): $RATE_SERVER"
  echo "fixed rate $RATE req/s (hey, $RATE_WORKERS workers): $RATE_RESULT"
  echo "saturated (wrk, $CONNECTIONS connections): $(grep -E 'Requests/sec' "$OUT/wrk.txt" | tr -s ' ') | latency $(grep -A4 'Latency Distribution' "$OUT/wrk.txt" | tail -4 | tr -s ' ' | tr '\n' ' ') | $(grep -E 'Non-2xx|Socket errors' "$OUT/wrk.txt" | tr '\n' ' ')"
  echo "saturated (hey, $CONNECTIONS connections): $SAT_HEY"
} | tee "$OUT/summary.txt"
