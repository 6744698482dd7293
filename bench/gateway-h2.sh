#!/usr/bin/env bash
# HTTP/2 (h2c) through the gateway against the same h2c backend direct: h2load with prior knowledge
# at max throughput, in alternating rounds (so that the load of a shared machine hits every side), bounded
# in time. The backend is nghttpd (Debian nghttp2-server) serving a ~1 KiB static JSON over h2c. Prints
# each round, then the medians of requests/s, the gateway's CPU per request (user+sys) and its RSS.
# The gateway runs through the launcher (./apiguard gateway), with the JVM options it gives the gateway.
#   bench/gateway-h2.sh [SECONDS=10] [CONNECTIONS=4] [STREAMS=10] [ROUNDS=3]
# Environment: WARMUP seconds through each gateway before measuring (default 10).
# GATEWAY_BEFORE_JAR=path/to/apiguard.jar (with its lib/ beside it) adds a gw-before row: that build, run with
# GATEWAY_BEFORE_OPTS (default: the launcher's former options), in the same rounds: before/after side by side.
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}; CONNS=${2:-4}; STREAMS=${3:-10}; ROUNDS=${4:-3}; WARMUP=${WARMUP:-10}
for n in "$SECS" "$CONNS" "$STREAMS" "$ROUNDS" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 600 ] || {
    echo "usage: bench/gateway-h2.sh [SECONDS] [CONNECTIONS] [STREAMS] [ROUNDS] (integers 1..600)" >&2; exit 2; }
done
for bin in h2load nghttpd; do
  command -v "$bin" > /dev/null || [ -x "/usr/sbin/$bin" ] || { echo "bench: $bin missing (apt-get install nghttp2-client nghttp2-server)" >&2; exit 1; }
done
NGHTTPD=$(command -v nghttpd || echo /usr/sbin/nghttpd)

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i, "price": 10 + i, "tags": ["autumn", "sale"]} for i in range(14)]}))' > "$BENCH_TMP/www/item.json"
backend=$(free_port)
"$NGHTTPD" --no-tls -d "$BENCH_TMP/www" "$backend" > "$BENCH_TMP/nghttpd.log" 2>&1 &
BENCH_PIDS+=($!)
wait_port "$backend" || { cat "$BENCH_TMP/nghttpd.log" >&2; exit 1; }

declare -A url pid
url[direct]="http://127.0.0.1:$backend/item.json"; pid[direct]=""
targets=(direct)

# start_gateway NAME COMMAND...: the gateway with backend-protocol h2c on free ports
start_gateway() {
  local name=$1 port admin; shift
  port=$(free_port); admin=$(free_port)
  cat > "$BENCH_TMP/$name.yaml" <<YAML
gateway:
  backend: http://127.0.0.1:$backend
  listen: 127.0.0.1:$port
  admin-listen: 127.0.0.1:$admin
  backend-protocol: h2c
YAML
  # The token comes from the environment: the benchmark writes no token file.
  APIGUARD_ADMIN_TOKEN=bench-token-not-for-production-use "$@" gateway --config "$BENCH_TMP/$name.yaml" \
    > "$BENCH_TMP/$name.log" 2>&1 &
  pid[$name]=$!; BENCH_PIDS+=($!)
  wait_port "$port" || { cat "$BENCH_TMP/$name.log" >&2; exit 1; }
  for _ in $(seq 1 100); do curl -sf --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$port/item.json" && break; sleep 0.2; done
  curl -sf --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$port/item.json" \
    || { echo "bench: the $name gateway does not answer h2c" >&2; tail -3 "$BENCH_TMP/$name.log" >&2; exit 1; }
  url[$name]="http://127.0.0.1:$port/item.json"; targets+=("$name")
}
start_gateway gateway "$ROOT/apiguard"   # the launcher execs java: its pid is the JVM's
if [ -n "${GATEWAY_BEFORE_JAR:-}" ]; then
  [ -f "$GATEWAY_BEFORE_JAR" ] || { echo "bench: GATEWAY_BEFORE_JAR=$GATEWAY_BEFORE_JAR is not a file" >&2; exit 2; }
  # shellcheck disable=SC2086 # the options are a word list
  start_gateway gw-before "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    ${GATEWAY_BEFORE_OPTS:--XX:+UseSerialGC -Xms64m -Xmx1g} -jar "$GATEWAY_BEFORE_JAR"
fi

h2() { # URL SECONDS -> h2load output in $BENCH_TMP/h2load.out
  timeout $(( $2 + 30 )) h2load -t1 -c"$CONNS" -m"$STREAMS" -D "$2" "$1" > "$BENCH_TMP/h2load.out" 2>&1 || true
}
rps() { awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) {gsub(",", "", $i); print $i}}' "$BENCH_TMP/h2load.out"; }
succeeded() { awk '/^requests:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^succeeded/) print $i}' "$BENCH_TMP/h2load.out"; }
failed() { awk '/^requests:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) print $i}' "$BENCH_TMP/h2load.out"; }
med() { awk -F'\t' -v m="$1" -v c="$2" '$1==m && $c!="" && $c!="nan" {print $c}' "$rows" | median; }

echo "gateway-h2: $ROUNDS rounds x ${targets[*]}; h2load -t1 -c$CONNS -m$STREAMS -D ${SECS}s, h2c prior knowledge; $(git -C "$ROOT" rev-parse --short HEAD)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(uname -r)"
for t in "${targets[@]}"; do
  [ "$t" = direct ] || h2 "${url[$t]}" "$WARMUP"   # a JVM needs its JIT warm
done

rows="$BENCH_TMP/rows.tsv"; : > "$rows"
n=${#targets[@]}
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    t=${targets[$(( (i + r - 1) % n ))]}
    c0=0; [ -n "${pid[$t]}" ] && c0=$(cpu_ticks "${pid[$t]}")
    h2 "${url[$t]}" "$SECS"
    c1=0; [ -n "${pid[$t]}" ] && c1=$(cpu_ticks "${pid[$t]}")
    ok=$(succeeded); bad=$(failed)
    [ "${bad:-0}" = 0 ] || echo "bench: $t round $r: $bad requests failed" >&2
    cpu=nan; rss=nan
    if [ -n "${pid[$t]}" ]; then
      cpu=$(awk -v t=$((c1 - c0)) -v n="${ok:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "nan"}')
      rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/${pid[$t]}/status")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$r" "$(rps)" "${ok:-0}" "$cpu" "$rss" >> "$rows"
    printf '%-9s round %s: %10s req/s  succeeded %8s  gateway cpu %6s us/req  rss %s MiB\n' "$t" "$r" "$(rps)" "${ok:-0}" "$cpu" "$rss"
  done
done

echo
echo "medians over $ROUNDS rounds"
printf '| path | req/s | vs direct | gateway CPU us/req | gateway RSS MiB |\n|---|---|---|---|---|\n'
d=$(med direct 3)
for t in "${targets[@]}"; do
  v=$(med "$t" 3)
  printf '| %s | %s | %s | %s | %s |\n' "$t" "$v" "$(awk -v a="$v" -v b="$d" 'BEGIN {printf "%.3f", (b > 0) ? a / b : 0}')" \
    "$( [ "$t" = direct ] && echo - || med "$t" 5)" "$( [ "$t" = direct ] && echo - || med "$t" 6)"
done
