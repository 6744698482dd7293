#!/usr/bin/env bash
# HTTP/2 (h2c) through the gateway against the same h2c backend direct: h2load with prior knowledge
# at max throughput, one short run each (direct first, then through the gateway), bounded in time.
# The backend is nghttpd (Debian nghttp2-server) serving a ~1 KiB static JSON over h2c. Prints
# requests/s, the gateway's CPU per request (user+sys) and its RSS.
#   bench/gateway-h2.sh [SECONDS=10] [CONNECTIONS=4] [STREAMS=10]
# Environment: WARMUP seconds through the gateway before measuring (default 5).
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}; CONNS=${2:-4}; STREAMS=${3:-10}; WARMUP=${WARMUP:-5}
for n in "$SECS" "$CONNS" "$STREAMS" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 600 ] || {
    echo "usage: bench/gateway-h2.sh [SECONDS] [CONNECTIONS] [STREAMS] (integers 1..600)" >&2; exit 2; }
done
for bin in h2load nghttpd; do
  command -v "$bin" > /dev/null || [ -x "/usr/sbin/$bin" ] || { echo "bench: $bin missing (apt-get install nghttp2-client nghttp2-server)" >&2; exit 1; }
done
NGHTTPD=$(command -v nghttpd || echo /usr/sbin/nghttpd)

echo "gateway-h2: building ..." >&2
(cd "$ROOT" && mvn -B -q -o package -DskipTests) > "$BENCH_TMP/build.log" 2>&1 || { tail -20 "$BENCH_TMP/build.log" >&2; exit 1; }
JAR="$ROOT/app/target/apiguard.jar"

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i, "price": 10 + i, "tags": ["autumn", "sale"]} for i in range(14)]}))' > "$BENCH_TMP/www/item.json"
backend=$(free_port)
"$NGHTTPD" --no-tls -d "$BENCH_TMP/www" "$backend" > "$BENCH_TMP/nghttpd.log" 2>&1 &
BENCH_PIDS+=($!)
wait_port "$backend" || { cat "$BENCH_TMP/nghttpd.log" >&2; exit 1; }

port=$(free_port); admin=$(free_port)
cat > "$BENCH_TMP/gateway.yaml" <<YAML
gateway:
  backend: http://127.0.0.1:$backend
  listen: 127.0.0.1:$port
  admin-listen: 127.0.0.1:$admin
  backend-protocol: h2c
YAML
# The token comes from the environment: the benchmark writes no token file.
APIGUARD_ADMIN_TOKEN=bench-token-not-for-production-use "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -XX:+UseSerialGC -Xms64m -Xmx1g -jar "$JAR" gateway --config "$BENCH_TMP/gateway.yaml" > "$BENCH_TMP/gateway.log" 2>&1 &
gw=$!; BENCH_PIDS+=($gw)
wait_port "$port" || { cat "$BENCH_TMP/gateway.log" >&2; exit 1; }
curl -sf --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$port/item.json" || { echo "bench: the gateway does not answer h2c" >&2; exit 1; }

h2() { # URL SECONDS -> h2load output in $BENCH_TMP/h2load.out
  timeout $(( $2 + 30 )) h2load -t1 -c"$CONNS" -m"$STREAMS" -D "$2" "$1" > "$BENCH_TMP/h2load.out" 2>&1
}
rps() { awk '/^finished in/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) {gsub(",", "", $i); print $i}}' "$BENCH_TMP/h2load.out"; }
succeeded() { awk '/^requests:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^succeeded/) print $i}' "$BENCH_TMP/h2load.out"; }
failed() { awk '/^requests:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) print $i}' "$BENCH_TMP/h2load.out"; }

echo "gateway-h2: h2load -t1 -c$CONNS -m$STREAMS -D ${SECS}s, h2c prior knowledge; $(git -C "$ROOT" rev-parse --short HEAD)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(uname -r)"
h2 "http://127.0.0.1:$port/item.json" "$WARMUP"

h2 "http://127.0.0.1:$backend/item.json" "$SECS"
direct=$(rps); direct_ok=$(succeeded)
c0=$(cpu_ticks "$gw")
h2 "http://127.0.0.1:$port/item.json" "$SECS"
c1=$(cpu_ticks "$gw")
through=$(rps); through_ok=$(succeeded); through_failed=$(failed)
cpu=$(awk -v t=$((c1 - c0)) -v n="$through_ok" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (n > 0) ? t / hz * 1e6 / n : 0}')
echo
printf '| path | req/s | succeeded | gateway CPU us/req | gateway RSS KiB |\n|---|---|---|---|---|\n'
printf '| direct (nghttpd) | %s | %s | - | - |\n' "$direct" "$direct_ok"
printf '| through the gateway | %s | %s | %s | %s |\n' "$through" "$through_ok" "$cpu" "$(rss_kib "$gw")"
[ "${through_failed:-0}" = 0 ] || echo "bench: $through_failed requests failed through the gateway" >&2
echo "throughput gateway/direct: $(awk -v a="$through" -v b="$direct" 'BEGIN {printf "%.3f", (b > 0) ? a / b : 0}')"
