#!/usr/bin/env bash
# Agent overhead: nginx + wrk on loopback, rounds alternating without and with `./apiguard agent`.
# Reports the throughput ratio (with/without: the ratio of the medians, and the median of each round's
# ratio), nginx's and the agent's CPU µs per request, the
# agent's RSS, and (in a last, separate run) the BPF programs' own run time per request.
#   bench/agent-overhead.sh [ROUNDS=5] [SECONDS=10] [CONNECTIONS=16]
# SCOPE=server (default): the agent follows nginx's worker only, as on a node whose clients are elsewhere.
# SCOPE=both: it follows the port, so it rebuilds every loopback exchange twice (client and server side).
# SCOPE=none: attached but following no process that runs (pid 1): the fixed cost of the hooks alone.
# APIGUARD=/path/to/other/checkout/apiguard compares another build.
# WARMUP=5: seconds of load on a fresh agent before each measured run (its JIT can still be compiling
# after 5 s: the compiler thread's CPU then counts as the agent's; docs/benchmarks.md, session 7), then 2 s
# more on new connections.
# PIN=1: nginx's worker and wrk share the last CPU and the agent runs on CPU 0, so the agent never
# competes with them and the scheduler cannot move them around (much less noise on a small VM).
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}; SECS=${2:-10}; CONNS=${3:-16}; SCOPE=${SCOPE:-server}; WARMUP=${WARMUP:-5}
APIGUARD=${APIGUARD:-$ROOT/apiguard}   # another build of the launcher, to compare versions side by side
"$ROOT/scripts/install-deps.sh" --test
"$APIGUARD" --help >/dev/null   # builds when needed
AGENT_CMD=("$APIGUARD")

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i} for i in range(8)]}))' > "$BENCH_TMP/www/item.json"
port=$(free_port)
start_nginx "$port" "$BENCH_TMP/www" > "$BENCH_TMP/nginx.master"   # not in $(...): its pid must reach the cleanup trap
worker=$(pgrep -P "$(cat "$BENCH_TMP/nginx.master")" nginx | head -1)
case "$SCOPE" in
  server) filter=(--pid "$worker") ;;
  both) filter=(--port "$port") ;;
  none) filter=(--pid 1) ;;
  *) echo "SCOPE must be server, both or none" >&2; exit 2 ;;
esac
echo "agent scope: $SCOPE (${filter[*]})"
if [ "${PIN:-0}" = 1 ]; then
  last=$(( $(nproc) - 1 ))
  taskset -pc "$last" "$worker" > /dev/null
  taskset -pc "$last" $$ > /dev/null   # wrk, started from here, inherits it
  AGENT_CMD=(taskset -c 0 "$APIGUARD")
  echo "pinned: nginx worker and wrk on CPU $last, the agent on CPU 0"
fi
url="http://127.0.0.1:$port/item.json"
tick=$(getconf CLK_TCK)
wrk -t1 -c"$CONNS" -d2s "$url" >/dev/null 2>&1   # warm up

# nginx worker CPU per request: on a loaded two-core machine a steadier signal than throughput.
# The agent binds its port before it loads BPF: wait for its "capturing" line, or a slow verification on a
# busy machine (its CPU is the agent's) lands in the warm-up or the measured run (one round of 14-16 µs per
# request in each of two runs, 2026-12-02).
wait_capturing() {
  for _ in $(seq 1 600); do grep -q 'apiguard agent: capturing' "$BENCH_TMP/agent.log" && return 0; kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.2; done
  echo "bench: the agent is not capturing; its log:" >&2; cat "$BENCH_TMP/agent.log" >&2; exit 1
}
nginx_us() { awk -v t="$1" -v hz="$tick" -v n="$2" 'BEGIN {printf "%.2f", t/hz*1e6/n}'; }

echo "round  mode     rps        nginx_us/req  agent_cpu_us/req  agent_rss_MiB"
: > "$BENCH_TMP/off"; : > "$BENCH_TMP/on"; : > "$BENCH_TMP/cpu"; : > "$BENCH_TMP/rss"
: > "$BENCH_TMP/ngx_off"; : > "$BENCH_TMP/ngx_on"
for r in $(seq 1 "$ROUNDS"); do
  n0=$(cpu_ticks "$worker")
  rps=$(wrk_rps "$url" "$SECS" "$CONNS"); echo "$rps" >> "$BENCH_TMP/off"
  ngx=$(nginx_us $(( $(cpu_ticks "$worker") - n0 )) "$(wrk_requests)"); echo "$ngx" >> "$BENCH_TMP/ngx_off"
  printf '%-6s %-8s %-10s %-13s\n' "$r" off "$rps" "$ngx"

  start_agent "${filter[@]}"
  jpid=$AGENT_PID
  wait_capturing
  # Warm the agent's JIT up first: steady-state cost is what a long-running agent pays.
  wrk -t1 -c"$CONNS" -d"${WARMUP}"s "$url" >/dev/null 2>&1
  # and with new connections once: until the agent has seen connections end and begin, C2 compiled its
  # loop without those paths, and their first use recompiles it inside the measured run (0.3-0.6 µs per
  # request of C2 time in it; docs/benchmarks.md, session 8).
  wrk -t1 -c"$CONNS" -d2s "$url" >/dev/null 2>&1
  before=$(cpu_ticks "$jpid"); n0=$(cpu_ticks "$worker")
  rps=$(wrk_rps "$url" "$SECS" "$CONNS"); reqs=$(wrk_requests)
  after=$(cpu_ticks "$jpid")
  ngx=$(nginx_us $(( $(cpu_ticks "$worker") - n0 )) "$reqs"); echo "$ngx" >> "$BENCH_TMP/ngx_on"
  sleep 1
  seen=$(curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk '/^api_http_requests_total\{/ && /side="server"/ && /path="\/item(\.json)?"/ {s+=$2} END {print s+0}')
  drops=$(agent_drops)
  rss=$(( $(rss_kib "$jpid") / 1024 ))
  cpu_us=$(awk -v t=$((after-before)) -v hz="$tick" -v n="$reqs" 'BEGIN {printf "%.2f", t/hz*1e6/n}')
  echo "$rps" >> "$BENCH_TMP/on"; echo "$cpu_us" >> "$BENCH_TMP/cpu"; echo "$rss" >> "$BENCH_TMP/rss"
  printf '%-6s %-8s %-10s %-13s %-17s %-13s (wrk requests %s, agent counted %s, drops %s)\n' "$r" on "$rps" "$ngx" "$cpu_us" "$rss" "$reqs" "$seen" "$drops"
  stop_agent
done

off=$(median < "$BENCH_TMP/off"); on=$(median < "$BENCH_TMP/on")
echo
echo "median rps without agent: $off"
echo "median rps with agent:    $on"
echo "throughput ratio:         $(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.3f", a/b}') (median with / median without)"
# Each round's with/without pair runs about 15 s apart, so a slow phase of the host shifts both:
# the median of the per-round ratios is less sensitive to such phases than the ratio of medians.
paired=$(paste -d' ' "$BENCH_TMP/on" "$BENCH_TMP/off" | awk '{printf "%.4f\n", $1/$2}' | median)
echo "paired ratio:             $(awk -v r="$paired" 'BEGIN {printf "%.3f", r}') (median of the rounds' with/without ratios)"
echo "nginx CPU per request:    $(median < "$BENCH_TMP/ngx_off") us without, $(median < "$BENCH_TMP/ngx_on") us with the agent (medians)"
echo "agent CPU per request:    $(median < "$BENCH_TMP/cpu") us (median)"
echo "agent RSS:                $(median < "$BENCH_TMP/rss") MiB (median)"

# The BPF programs' own run time, from the kernel's accounting (kernel.bpf_stats_enabled), in a
# separate run: the accounting itself adds two clock reads to every program run.
bpf_totals() {
  bpftool prog show -j | python3 -c '
import json, sys
t = c = 0
for p in json.load(sys.stdin):
    # the programs of capture/src/main/bpf/apiguard.bpf.c
    if p.get("name") in ("on_sock_recv", "on_sock_send", "on_tcp_state", "on_tcp_destroy"):
        t += p.get("run_time_ns", 0); c += p.get("run_cnt", 0)
print(t, c)'
}
start_agent "${filter[@]}"
wait_capturing
wrk -t1 -c"$CONNS" -d3s "$url" >/dev/null 2>&1
was=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q -w kernel.bpf_stats_enabled=1
read -r t0 c0 < <(bpf_totals)
wrk_rps "$url" "$SECS" "$CONNS" >/dev/null; reqs=$(wrk_requests)
read -r t1 c1 < <(bpf_totals)
sysctl -q -w kernel.bpf_stats_enabled="$was"
stop_agent
echo "BPF run time per request: $(awk -v t=$((t1-t0)) -v n="$reqs" 'BEGIN {printf "%.2f", t/n/1000}') us ($(awk -v c=$((c1-c0)) -v n="$reqs" 'BEGIN {printf "%.1f", c/n}') program runs per request, all processes)"
