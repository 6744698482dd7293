#!/usr/bin/env bash
# HTTP/2 through the agent: nghttpd (h2c, prior knowledge) + h2load on loopback, rounds alternating
# without and with `./apiguard agent --port PORT` (both sides of every exchange followed).
# Reports the throughput ratio (median with / median without), the agent's kernel events and CPU µs
# per request, and how many requests it counted against how many h2load completed.
#   bench/agent-h2.sh [ROUNDS=3] [SECONDS=5] [CLIENTS=4] [STREAMS=8]
# STREAMS is h2load's -m (concurrent streams per connection): more streams per connection means
# more frames per syscall, all walked by the kernel (h2.bpf.h); what its bounds cut is counted in
# apiguard_kernel_h2_walk_total (column kwalk) and user space's http2_lost_sync.
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}; SECS=${2:-5}; CLIENTS=${3:-4}; STREAMS=${4:-8}
APIGUARD=${APIGUARD:-$ROOT/apiguard}
for tool in nghttpd h2load; do
  command -v "$tool" >/dev/null || { echo "agent-h2: $tool missing (apt-get install nghttp2-server nghttp2-client)" >&2; exit 2; }
done
"$APIGUARD" --help >/dev/null   # builds when needed
AGENT_CMD=("$APIGUARD")

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i} for i in range(8)]}))' > "$BENCH_TMP/www/item.json"
port=$(free_port)
nghttpd --no-tls -d "$BENCH_TMP/www" "$port" > "$BENCH_TMP/nghttpd.log" 2>&1 &
BENCH_PIDS+=($!)
wait_port "$port"
url="http://127.0.0.1:$port/item.json"
tick=$(getconf CLK_TCK)

# h2load_run SECONDS -> requests/s; leaves the completed count in $BENCH_TMP/h2load.done
h2load_run() {
  timeout $(( $1 + 30 )) h2load -D "$1" -c "$CLIENTS" -m "$STREAMS" "$url" > "$BENCH_TMP/h2load.out" 2>&1
  awk '/^finished in/ {gsub(",", ""); print $4}' "$BENCH_TMP/h2load.out"
  awk '/^requests:/ {print $8}' "$BENCH_TMP/h2load.out" > "$BENCH_TMP/h2load.done"
}
metric() { curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk -v m="$1" -v f="$2" 'index($0, m) == 1 && (f == "" || index($0, f)) {s+=$NF} END {printf "%d", s}'; }

# The agent may lag behind the ring buffer on a busy machine: wait until its count settles (bounded: 30 s).
settle() {
  local prev=-1 now
  for _ in $(seq 1 60); do
    now=$(metric api_http_requests_total 'side="server"')
    [ "$now" = "$prev" ] && return
    prev=$now; sleep 0.5
  done
}

h2load_run 2 > /dev/null   # warm up
echo "round  mode  rps        events/req  agent_cpu_us/req  counted/done  lost_sync  hpack_unknown  kwalk  drops"
: > "$BENCH_TMP/off"; : > "$BENCH_TMP/on"
for r in $(seq 1 "$ROUNDS"); do
  rps=$(h2load_run "$SECS"); echo "$rps" >> "$BENCH_TMP/off"
  printf '%-6s %-5s %-10s\n' "$r" off "$rps"

  start_agent --port "$port"
  for _ in $(seq 1 120); do   # the capture attaches after the metrics port opens (bounded: 60 s)
    curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | grep -q '^apiguard_kernel_events_total' && break
    sleep 0.5
  done
  h2load_run 2 > /dev/null   # the agent's JIT warms up first
  settle
  ev0=$(metric apiguard_kernel_events_total ""); req0=$(metric api_http_requests_total 'side="server"')
  before=$(cpu_ticks "$AGENT_PID")
  rps=$(h2load_run "$SECS"); done_n=$(cat "$BENCH_TMP/h2load.done")
  settle   # and that catching-up CPU is part of the per-request figure
  after=$(cpu_ticks "$AGENT_PID")
  drops=$(agent_drops)
  events=$(( $(metric apiguard_kernel_events_total "") - ev0 ))
  counted=$(( $(metric api_http_requests_total 'side="server"') - req0 ))
  lost=$(metric apiguard_http_anomalies_total 'reason="http2_lost_sync"')
  unknown=$(metric apiguard_http2_hpack_unknown_total "")
  kwalk=$(metric apiguard_kernel_h2_walk_total "")
  echo "$rps" >> "$BENCH_TMP/on"
  awk -v r="$r" -v rps="$rps" -v ev="$events" -v n="$done_n" -v t=$((after - before)) -v hz="$tick" \
      -v c="$counted" -v l="$lost" -v u="$unknown" -v k="$kwalk" -v d="$drops" \
      'BEGIN {n = n > 0 ? n : 1; printf "%-6s %-5s %-10s %-11.1f %-17.2f %-13s %-10s %-14s %-6s %s\n", r, "on", rps, ev/n, t/hz*1e6/n, c "/" n, l, u, k, d}'
  [ -n "${DEBUG:-}" ] && curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | grep -E '^(api_http_requests|apiguard_http_anomalies|apiguard_kernel_events|apiguard_http2)' | head -20
  stop_agent
done
off=$(median < "$BENCH_TMP/off"); on=$(median < "$BENCH_TMP/on")
echo
echo "median rps without agent: $off"
echo "median rps with agent:    $on"
echo "throughput ratio:         $(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.3f", a/b}') (median with / median without)"
