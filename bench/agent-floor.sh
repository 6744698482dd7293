#!/usr/bin/env bash
# The floor under the agent's overhead on nginx + wrk: rounds of three runs on loopback,
#   bare   no BPF program attached;
#   empty  the agent's four socket-layer hooks with programs that only return (bench/src/empty_hooks.bpf.c,
#          loaded by bench/src/attach_all.c; not the agent's object): what any BPF program at those
#          points costs the workload, before it does anything;
#   agent  `./apiguard agent --pid <nginx worker>` (its real programs and user space).
# Reports throughput ratios empty/bare and agent/bare (ratio of medians, and median of the rounds'
# ratios), nginx's CPU per request in each mode, the agent's CPU per request, then (separate runs, the
# kernel's accounting adds two clock reads per program run) each program's run time per run and per
# request for empty and agent, with kernel.bpf_stats_enabled=1 (its previous value restored after).
#   bench/agent-floor.sh [ROUNDS=5] [SECONDS=10] [CONNECTIONS=16]
# WARMUP=15: seconds of load on a fresh agent before its measured run (plus 2 s on new connections).
# PIN=1: nginx's worker and wrk on the last CPU, the agent on CPU 0 (as bench/agent-overhead.sh).
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}; SECS=${2:-10}; CONNS=${3:-16}; WARMUP=${WARMUP:-15}
APIGUARD=${APIGUARD:-$ROOT/apiguard}
"$ROOT/scripts/install-deps.sh" --test
"$APIGUARD" --help >/dev/null   # builds when needed
AGENT_CMD=("$APIGUARD")
clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$ROOT/bench/src/empty_hooks.bpf.c" -o "$BENCH_TMP/empty_hooks.bpf.o"
clang -O2 -o "$BENCH_TMP/attach_all" "$ROOT/bench/src/attach_all.c" -lbpf

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i} for i in range(8)]}))' > "$BENCH_TMP/www/item.json"
port=$(free_port)
start_nginx "$port" "$BENCH_TMP/www" > "$BENCH_TMP/nginx.master"
worker=$(pgrep -P "$(cat "$BENCH_TMP/nginx.master")" nginx | head -1)
if [ "${PIN:-0}" = 1 ]; then
  last=$(( $(nproc) - 1 ))
  taskset -pc "$last" "$worker" > /dev/null
  taskset -pc "$last" $$ > /dev/null
  AGENT_CMD=(taskset -c 0 "$APIGUARD")
  echo "pinned: nginx worker and wrk on CPU $last, the agent on CPU 0"
fi
url="http://127.0.0.1:$port/item.json"
tick=$(getconf CLK_TCK)
wrk -t1 -c"$CONNS" -d2s "$url" >/dev/null 2>&1   # warm up nginx

PROGS="on_sock_recv on_sock_send on_tcp_state on_tcp_destroy"
# prog_ids -> ids of loaded programs with the hooks' names (to tell which ones a start added)
prog_ids() { bpftool prog show -j | python3 -c '
import json, sys
names = set(sys.argv[1].split())
print(" ".join(str(p["id"]) for p in json.load(sys.stdin) if p.get("name") in names))' "$PROGS"; }
new_ids() { comm -13 <(tr ' ' '\n' <<< "$1" | sort) <(tr ' ' '\n' <<< "$(prog_ids)" | sort) | tr '\n' ' '; }

start_empty() {
  local before; before=$(prog_ids)
  "$BENCH_TMP/attach_all" "$BENCH_TMP/empty_hooks.bpf.o" > "$BENCH_TMP/attach.log" 2>&1 &
  EMPTY_PID=$!; BENCH_PIDS+=($EMPTY_PID)
  for _ in $(seq 1 100); do grep -q '^attached 4' "$BENCH_TMP/attach.log" && break; kill -0 "$EMPTY_PID" || { cat "$BENCH_TMP/attach.log"; exit 1; }; sleep 0.1; done
  grep -q '^attached 4' "$BENCH_TMP/attach.log" || { echo "empty hooks did not attach" >&2; cat "$BENCH_TMP/attach.log" >&2; exit 1; }
  IDS=$(new_ids "$before")
}
stop_empty() { kill "$EMPTY_PID"; wait "$EMPTY_PID" 2>/dev/null || true; }
wait_capturing() {
  for _ in $(seq 1 600); do grep -q 'apiguard agent: capturing' "$BENCH_TMP/agent.log" && return 0; kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.2; done
  echo "bench: the agent is not capturing; its log:" >&2; cat "$BENCH_TMP/agent.log" >&2; exit 1
}
start_real() {
  local before; before=$(prog_ids)
  start_agent --pid "$worker"; wait_capturing
  IDS=$(new_ids "$before")
  wrk -t1 -c"$CONNS" -d"${WARMUP}"s "$url" >/dev/null 2>&1
  wrk -t1 -c"$CONNS" -d2s "$url" >/dev/null 2>&1   # new connections: see bench/agent-overhead.sh
}
# exchanges the running agent counted on nginx's side (the pacer delivers them within about 100 ms)
counted() { curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk '/^api_http_requests_total\{/ && /side="server"/ && /path="\/item(\.json)?"/ {s+=$2} END {print s+0}'; }
# wrk_timed URL SECONDS CONNECTIONS -> requests/s; wrk's own CPU seconds (user+sys) in $BENCH_TMP/wrk.cpu
wrk_timed() {
  /usr/bin/time -f '%U %S' -o "$BENCH_TMP/wrk.time" wrk -t1 -c"$3" -d"$2"s "$1" > "$BENCH_TMP/wrk.out" 2>&1
  awk '{print $1+$2}' "$BENCH_TMP/wrk.time" > "$BENCH_TMP/wrk.cpu"
  awk '/Requests\/sec/ {print $2}' "$BENCH_TMP/wrk.out"
}
per_req() { awk -v t="$1" -v hz="$tick" -v n="$2" 'BEGIN {printf "%.2f", t/hz*1e6/n}'; }

# measure MODE ROUND: one measured wrk run with MODE set up; appends rps and nginx µs/request
measure() {
  local mode=$1 r=$2 n0 a0 c0 d0 rps reqs note=
  case "$mode" in empty) start_empty ;; agent) start_real ;; esac
  if [ "$mode" = agent ]; then sleep 0.5; c0=$(counted); d0=$(agent_drops); a0=$(cpu_ticks "$AGENT_PID"); fi
  n0=$(cpu_ticks "$worker")
  rps=$(wrk_timed "$url" "$SECS" "$CONNS"); reqs=$(wrk_requests)
  ngx=$(per_req $(( $(cpu_ticks "$worker") - n0 )) "$reqs")
  wrkus=$(awk -v s="$(cat "$BENCH_TMP/wrk.cpu")" -v n="$reqs" 'BEGIN {printf "%.2f", s*1e6/n}')
  echo "$rps" >> "$BENCH_TMP/rps_$mode"; echo "$ngx" >> "$BENCH_TMP/ngx_$mode"; echo "$wrkus" >> "$BENCH_TMP/wrk_$mode"
  if [ "$mode" = agent ]; then
    cpu=$(per_req $(( $(cpu_ticks "$AGENT_PID") - a0 )) "$reqs"); echo "$cpu" >> "$BENCH_TMP/cpu_agent"
    sleep 1
    note="agent ${cpu} us/req (wrk requests $reqs, agent counted $(( $(counted) - c0 )), drops $(( $(agent_drops) - d0 )))"
    stop_agent
  fi
  [ "$mode" = empty ] && stop_empty
  printf '%-6s %-6s %-10s %-13s %-11s %s\n' "$r" "$mode" "$rps" "$ngx" "$wrkus" "$note"
}

echo "round  mode   rps        nginx_us/req  wrk_us/req"
for r in $(seq 1 "$ROUNDS"); do
  measure bare "$r"
  # the two attached modes in alternating order, so neither always follows the other
  if (( r % 2 )); then measure empty "$r"; measure agent "$r"; else measure agent "$r"; measure empty "$r"; fi
done

bare=$(median < "$BENCH_TMP/rps_bare")
echo
for mode in empty agent; do
  m=$(median < "$BENCH_TMP/rps_$mode")
  paired=$(paste -d' ' "$BENCH_TMP/rps_$mode" "$BENCH_TMP/rps_bare" | awk '{printf "%.4f\n", $1/$2}' | median)
  rounds=$(paste -d' ' "$BENCH_TMP/rps_$mode" "$BENCH_TMP/rps_bare" | awk '{printf "%.3f ", $1/$2}')
  printf '%-6s/bare: %.3f (medians %s / %s rps), paired %.3f (rounds: %s)\n' "$mode" "$(awk -v a="$m" -v b="$bare" 'BEGIN {print a/b}')" "$m" "$bare" "$paired" "$rounds"
done
echo "nginx CPU per request (medians): bare $(median < "$BENCH_TMP/ngx_bare") us, empty $(median < "$BENCH_TMP/ngx_empty") us, agent $(median < "$BENCH_TMP/ngx_agent") us"
echo "wrk CPU per request (medians):   bare $(median < "$BENCH_TMP/wrk_bare") us, empty $(median < "$BENCH_TMP/wrk_empty") us, agent $(median < "$BENCH_TMP/wrk_agent") us"
echo "agent CPU per request (median):  $(median < "$BENCH_TMP/cpu_agent") us"
# With both vCPUs saturated by nginx and wrk, throughput is at most the CPU they had per request divided
# by what a request then costs: the ratio of the CPU per request sums (nginx + wrk [+ the agent]) is that
# bound, and steadier than the rps on a shared host.
sum_med() { paste -d' ' "$@" | awk '{s=0; for (i=1;i<=NF;i++) s+=$i; print s}' | median; }
b=$(sum_med "$BENCH_TMP/ngx_bare" "$BENCH_TMP/wrk_bare"); e=$(sum_med "$BENCH_TMP/ngx_empty" "$BENCH_TMP/wrk_empty")
a=$(sum_med "$BENCH_TMP/ngx_agent" "$BENCH_TMP/wrk_agent" "$BENCH_TMP/cpu_agent")
echo "CPU per request, nginx + wrk (+ agent), medians of the rounds' sums: bare $b us, empty $e us, agent $a us"
echo "CPU bound on the ratio:          empty $(awk -v x="$b" -v y="$e" 'BEGIN {printf "%.3f", x/y}'), agent $(awk -v x="$b" -v y="$a" 'BEGIN {printf "%.3f", x/y}')"

# Each program's own run time (kernel.bpf_stats_enabled=1), one separate run per attached mode.
prog_stats() { bpftool prog show -j | python3 -c '
import json, sys
ids = set(int(i) for i in sys.argv[1].split())
for p in json.load(sys.stdin):
    if p["id"] in ids: print(p["name"], p.get("run_time_ns", 0), p.get("run_cnt", 0))' "$IDS"; }
was=$(sysctl -n kernel.bpf_stats_enabled)
restore_stats() { sysctl -q -w kernel.bpf_stats_enabled="$was"; }
trap 'restore_stats; cleanup' EXIT
for mode in empty agent; do
  case "$mode" in empty) start_empty ;; agent) start_real ;; esac
  sysctl -q -w kernel.bpf_stats_enabled=1
  prog_stats > "$BENCH_TMP/s0"
  wrk_rps "$url" "$SECS" "$CONNS" > /dev/null; reqs=$(wrk_requests)
  prog_stats > "$BENCH_TMP/s1"
  restore_stats
  case "$mode" in empty) stop_empty ;; agent) stop_agent ;; esac
  echo "BPF run time, $mode programs ($reqs requests; runs of every process's sockets):"
  join <(sort "$BENCH_TMP/s0") <(sort "$BENCH_TMP/s1") | awk -v n="$reqs" '
    {t=$4-$2; c=$5-$3; T+=t; C+=c; printf "  %-15s %8.1f runs/req  %6.0f ns/run  %6.3f us/req\n", $1, c/n, (c ? t/c : 0), t/n/1000}
    END {printf "  %-15s %8.1f runs/req  %6.0f ns/run  %6.3f us/req\n", "all", C/n, (C ? T/C : 0), T/n/1000}'
done
