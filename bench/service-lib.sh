# Helpers shared by compare-otel.sh and compare-proxies.sh (sourced after lib.sh): the bench service, its
# fixed-rate load generator, the OpenTelemetry agent jar, process CPU/RSS and formatting.
SERVICE_JAR="$ROOT/bench/service/target/bench-service.jar"
JAVA="$JAVA_HOME/bin/java"
TICK=$(getconf CLK_TCK)

build_service() {
  if ! mvn -B -q -f "$ROOT/bench/service/pom.xml" package > "$BENCH_TMP/service-build.log" 2>&1; then
    echo "bench: building bench/service failed; last lines of the log:" >&2; tail -20 "$BENCH_TMP/service-build.log" >&2; exit 2
  fi
}

# otel_jar VERSION -> path of the OpenTelemetry Java agent, fetched once through Maven into bench/service/target/otel
otel_jar() {
  local dir="$ROOT/bench/service/target/otel" jar="$ROOT/bench/service/target/otel/opentelemetry-javaagent-$1.jar"
  if [ ! -f "$jar" ]; then
    mvn -B -q dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$1" \
      -DoutputDirectory="$dir" > "$BENCH_TMP/otel-fetch.log" 2>&1 || {
      echo "bench: could not fetch opentelemetry-javaagent $1 with Maven; see the lines below" >&2
      tail -10 "$BENCH_TMP/otel-fetch.log" >&2; exit 2; }
  fi
  echo "$jar"
}

# wait_http PORT [SECONDS=90]: JVMs with an agent start slowly on a busy machine
wait_http() {
  local deadline=$(( SECONDS + ${2:-90} ))
  while [ $SECONDS -lt $deadline ]; do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "bench: nothing listens on 127.0.0.1:$1 after ${2:-90}s" >&2; return 1
}

# wait_http_alive PORT PID [SECONDS=90]: like wait_http, but gives up (1) as soon as PID has exited
wait_http_alive() {
  local deadline=$(( SECONDS + ${3:-90} ))
  while [ $SECONDS -lt $deadline ]; do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# cpu_of PID... -> summed utime+stime ticks of the processes (0 for a missing one)
cpu_of() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$(( t + $(cpu_ticks "$p") )); done; echo "$t"; }
rss_mib() { [ -r "/proc/$1/status" ] && awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status" || echo 0; }
us_per_req() { awk -v t="$1" -v hz="$TICK" -v n="$2" 'BEGIN {if (n > 0) printf "%.1f", t/hz*1e6/n; else print "nan"}'; }

# fixed_rate URL RATE SECONDS CONNECTIONS MIX -> the generator's key=value line (2 s warm-up, not recorded)
fixed_rate() { "$JAVA" -XX:+UseSerialGC -Xmx256m -cp "$SERVICE_JAR" dev.apiguard.bench.FixedRateLoad "$1" "$2" "$3" "$4" "$5" 2; }
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1==k {print $2}'; }

# stop PID: TERM, wait up to 5 s, then KILL
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# col FILE MODE FIELD -> the median of FIELD over the rows of MODE (header row names the fields)
col() {
  local values
  values=$(awk -F'\t' -v m="$2" -v f="$3" 'NR==1 {for (i=1;i<=NF;i++) if ($i==f) c=i; next} $1==m && $c!="nan" && $c!="" {print $c}' "$1")
  [ -n "$values" ] && median <<<"$values" || echo ""
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a=="" || b=="" || b==0) print "n/a"; else printf "%.2f", a/b}'; }
diff_of() { awk -v a="$1" -v b="$2" 'BEGIN {if (a=="" || b=="") print "n/a"; else printf "%+.1f", a-b}'; }
