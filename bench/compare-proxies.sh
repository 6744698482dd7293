#!/usr/bin/env bash
# The same backend (nginx serving a ~1 KiB static JSON, one worker) reached directly and through three reverse
# proxies on loopback: the apiguard gateway, nginx (one worker, upstream keep-alive) and HAProxy (one thread,
# connection reuse). Alternating rounds; each measures max throughput (wrk keep-alive) and latency at a fixed
# rate (bench/service FixedRateLoad, open loop), plus the proxy's CPU per request and RSS.
# Prints the throughput ratio against direct and the added p50/p99.
#   bench/compare-proxies.sh [ROUNDS=3] [SECONDS=10] [RATE=2000] [CONNECTIONS=16]
# Environment: WARMUP seconds per target before the rounds (default 5; the gateway, a JVM, gets 3x), BUDGET seconds (default 0, none: no new
# round starts that would overrun it), RESULTS dir (default bench/results).
# GATEWAY_BEFORE_JAR=path/to/apiguard.jar (with its lib/ beside it) adds a row gw-before: that build of the gateway,
# run with GATEWAY_BEFORE_OPTS (default: the launcher's former options), in the same alternating rounds, so that a
# change is measured before/after side by side under the same load.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/service-lib.sh"
ROUNDS=${1:-3}; SECS=${2:-10}; RATE=${3:-2000}; CONNS=${4:-16}; WARMUP=${WARMUP:-5}; BUDGET=${BUDGET:-0}
RESULTS=${RESULTS:-$ROOT/bench/results}
[[ $BUDGET =~ ^[0-9]+$ ]] || { echo "BUDGET must be a number of seconds (0: no limit)" >&2; exit 2; }
for n in "$ROUNDS" "$SECS" "$RATE" "$CONNS" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "usage: bench/compare-proxies.sh [ROUNDS] [SECONDS] [RATE] [CONNECTIONS] (positive integers)" >&2; exit 2; }
done

"$ROOT/scripts/install-deps.sh" --test
build_service

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i, "price": 10 + i, "tags": ["autumn", "sale"]} for i in range(14)]}))' > "$BENCH_TMP/www/item.json"
backend=$(free_port)
start_nginx "$backend" "$BENCH_TMP/www" > /dev/null
declare -A url pid
url[direct]="http://127.0.0.1:$backend/item.json"; pid[direct]=""
targets=(direct)

# nginx as a reverse proxy: lib.sh's nginx with an upstream keep-alive pool and every path proxied
p=$(free_port)
start_nginx "$p" "$BENCH_TMP/www" \
  'location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }' \
  "upstream backend { server 127.0.0.1:$backend; keepalive 64; keepalive_requests 10000000; }" > /dev/null
master=${BENCH_PIDS[-1]}
sleep 0.3; pid[nginx]=$(pgrep -P "$master" | head -1); pid[nginx]=${pid[nginx]:-$master}   # the worker does the work
url[nginx]="http://127.0.0.1:$p/item.json"; targets+=(nginx)

p=$(free_port)
cat > "$BENCH_TMP/haproxy.cfg" <<HAP
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:$p
  default_backend backend
backend backend
  server s1 127.0.0.1:$backend
HAP
/usr/sbin/haproxy -db -f "$BENCH_TMP/haproxy.cfg" > "$BENCH_TMP/haproxy.log" 2>&1 &
pid[haproxy]=$!; BENCH_PIDS+=($!)
wait_http "$p" 20 || { cat "$BENCH_TMP/haproxy.log" >&2; exit 1; }
url[haproxy]="http://127.0.0.1:$p/item.json"; targets+=(haproxy)

gateway_na() { echo "bench: './apiguard gateway' is not available on this branch; its row is n/a: $1" >&2; }
if "$ROOT/apiguard" gateway --help > "$BENCH_TMP/gateway-help.txt" 2>&1; then
  p=$(free_port); admin=$(free_port)
  "$ROOT/apiguard" gateway --backend "http://127.0.0.1:$backend" --listen "127.0.0.1:$p" --admin-listen "127.0.0.1:$admin" \
    > "$BENCH_TMP/gateway.log" 2>&1 &
  g=$!; BENCH_PIDS+=($g)
  if wait_http_alive "$p" "$g" 120 && curl -sf -o /dev/null "http://127.0.0.1:$p/item.json"; then
    pid[gateway]=$(pgrep -P "$g" java || echo "$g")
    url[gateway]="http://127.0.0.1:$p/item.json"; targets+=(gateway)
  else
    gateway_na "$(tail -2 "$BENCH_TMP/gateway.log" | tr '\n' ' ')"; stop "$g"
  fi
else
  gateway_na "$(tail -2 "$BENCH_TMP/gateway-help.txt" | tr '\n' ' ')"
fi

if [ -n "${GATEWAY_BEFORE_JAR:-}" ]; then
  [ -f "$GATEWAY_BEFORE_JAR" ] || { echo "bench: GATEWAY_BEFORE_JAR=$GATEWAY_BEFORE_JAR is not a file" >&2; exit 2; }
  p=$(free_port); admin=$(free_port)
  # shellcheck disable=SC2086 # the options are a word list
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${GATEWAY_BEFORE_OPTS:--XX:+UseSerialGC -Xms64m -Xmx1g} \
    -jar "$GATEWAY_BEFORE_JAR" gateway --backend "http://127.0.0.1:$backend" --listen "127.0.0.1:$p" \
    --admin-listen "127.0.0.1:$admin" > "$BENCH_TMP/gateway-before.log" 2>&1 &
  g=$!; BENCH_PIDS+=($g)
  wait_http_alive "$p" "$g" 120 && curl -sf -o /dev/null "http://127.0.0.1:$p/item.json" \
    || { tail -3 "$BENCH_TMP/gateway-before.log" >&2; exit 1; }
  pid[gw-before]=$g; url[gw-before]="http://127.0.0.1:$p/item.json"; targets+=(gw-before)
fi

echo "compare-proxies: $ROUNDS rounds x ${targets[*]}; backend nginx static JSON ($(stat -c %s "$BENCH_TMP/www/item.json") bytes);"
echo "  wrk -t1 -c$CONNS -d${SECS}s keep-alive; fixed rate $RATE/s for ${SECS}s on 4 connections"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(uname -r)"
for t in "${targets[@]}"; do
  curl -sf -o /dev/null "${url[$t]}" || { echo "bench: $t does not answer ${url[$t]}" >&2; exit 1; }
  w=$WARMUP; [[ $t == gateway || $t == gw-before ]] && w=$(( 3 * WARMUP ))   # a JVM needs longer than native proxies to reach steady state
  wrk -t1 -c"$CONNS" -d"${w}s" "${url[$t]}" > /dev/null 2>&1
done

rows="$BENCH_TMP/rows.tsv"
printf 'mode\tround\trps\tp50_us\tp99_us\tp999_us\tproxy_cpu_us\tproxy_rss\n' > "$rows"
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
began=0   # the budget counts from the start of the script, setup included
for r in $(seq 1 "$ROUNDS"); do
  round_start=$SECONDS
  n=${#targets[@]}
  for i in $(seq 0 $((n - 1))); do
    t=${targets[$(( (i + r - 1) % n ))]}
    c0=$(cpu_of ${pid[$t]})
    rps=$(wrk_rps "${url[$t]}" "$SECS" "$CONNS"); reqs=$(wrk_requests)
    c1=$(cpu_of ${pid[$t]})
    grep -q 'Non-2xx\|Socket errors' "$BENCH_TMP/wrk.out" && echo "bench: $t round $r: $(grep 'Non-2xx\|Socket errors' "$BENCH_TMP/wrk.out")" >&2
    cpu=nan; [ -n "${pid[$t]}" ] && cpu=$(us_per_req $((c1 - c0)) "$reqs")
    sleep 0.5
    line=$(fixed_rate "${url[$t]}" "$RATE" "$SECS" 4 get) || { echo "bench: fixed-rate run failed on $t: $line" >&2; exit 1; }
    [ "$(kv "$line" errors)" = 0 ] && [ "$(kv "$line" non2xx)" = 0 ] || echo "bench: $t round $r: fixed-rate errors: $line" >&2
    rss=nan; [ -n "${pid[$t]}" ] && rss=$(rss_mib "${pid[$t]}")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$r" "$rps" "$(kv "$line" p50_us)" "$(kv "$line" p99_us)" "$(kv "$line" p999_us)" "$cpu" "$rss" >> "$rows"
    printf '%-9s round %s: %9s rps  fixed %s/s: p50 %8s us  p99 %9s us  proxy cpu %6s us/req  rss %s MiB\n' \
      "$t" "$r" "$rps" "$RATE" "$(kv "$line" p50_us)" "$(kv "$line" p99_us)" "$cpu" "$rss"
  done
  cp "$rows" "$RESULTS/compare-proxies-$stamp.tsv"   # kept as it grows: a run cut short still leaves its rows
  if [ "$BUDGET" -gt 0 ] && [ $r -lt "$ROUNDS" ] && [ $(( SECONDS - began + SECONDS - round_start )) -gt "$BUDGET" ]; then
    echo "compare-proxies: stopping after $r of $ROUNDS rounds: another round would overrun the ${BUDGET}s budget" >&2
    break
  fi
done

summary() {
  local d_rps d_p50 d_p99
  d_rps=$(col "$rows" direct rps); d_p50=$(col "$rows" direct p50_us); d_p99=$(col "$rows" direct p99_us)
  echo
  echo "medians over $ROUNDS rounds (fixed rate $RATE/s; added = minus direct)"
  printf '| %-9s | %9s | %9s | %9s | %9s | %12s | %12s | %14s | %9s |\n' target "max rps" "vs direct" "p50 us" "p99 us" \
    "added p50 us" "added p99 us" "proxy CPU us/req" "RSS MiB"
  echo "|-----------|-----------|-----------|-----------|-----------|--------------|--------------|------------------|-----------|"
  local all=(direct nginx haproxy gateway); [[ " ${targets[*]} " == *" gw-before "* ]] && all+=(gw-before)
  for t in "${all[@]}"; do
    if [[ " ${targets[*]} " != *" $t "* ]]; then
      printf '| %-9s | %9s | %9s | %9s | %9s | %12s | %12s | %16s | %9s |\n' "$t" n/a n/a n/a n/a n/a n/a n/a n/a; continue
    fi
    local rps p50 p99 cpu rss
    rps=$(col "$rows" "$t" rps); p50=$(col "$rows" "$t" p50_us); p99=$(col "$rows" "$t" p99_us)
    cpu=$(col "$rows" "$t" proxy_cpu_us); rss=$(col "$rows" "$t" proxy_rss)
    printf '| %-9s | %9s | %9s | %9s | %9s | %12s | %12s | %16s | %9s |\n' "$t" "$rps" "$(ratio "$rps" "$d_rps")" "$p50" "$p99" \
      "$(diff_of "$p50" "$d_p50")" "$(diff_of "$p99" "$d_p99")" "${cpu:--}" "${rss:--}"
  done
  [[ " ${targets[*]} " == *" gateway "* ]] || echo "gateway: n/a — './apiguard gateway' did not run on this branch (see the message above)"
}
summary | tee "$BENCH_TMP/summary.txt"
cp "$BENCH_TMP/summary.txt" "$RESULTS/compare-proxies-$stamp.txt"
echo "rows: $RESULTS/compare-proxies-$stamp.tsv"
