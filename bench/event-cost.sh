#!/usr/bin/env bash
# The agent's cost per captured event, with the agent on its own core: one process (pinned to the
# last CPU) runs HTTP exchanges over one loopback connection; the agent runs on CPU 0. Modes: no
# agent; the agent attached but following another process name (the syscalls' fixed cost); the
# agent following this process (four events and two exchanges per iteration). Every "follow" round
# must count exactly the exchanges made, with no drops.
#   bench/event-cost.sh [ROUNDS=5] [ITERATIONS=20000]
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}; ITERS=${2:-20000}
"$ROOT/scripts/install-deps.sh" --test
"$ROOT/apiguard" --help >/dev/null   # builds when needed
clang -O2 -o "$BENCH_TMP/apiguard_loop" "$ROOT/bench/src/loopback_exchange.c"   # comm: apiguard_loop
last=$(( $(nproc) - 1 ))
counted() { curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk '/^api_http_requests_total\{/ {s+=$2} END {print s+0}'; }
AGENT_CMD=(taskset -c 0 "$ROOT/apiguard")

echo "round  mode     ns/iteration  (exchanges counted/expected, drops)"
for r in $(seq 1 "$ROUNDS"); do
  for mode in none other follow; do
    note=
    if [ "$mode" != none ]; then
      comm=apiguard_loop; [ "$mode" = other ] && comm=not-this-one
      start_agent --comm "$comm"
      taskset -c "$last" "$BENCH_TMP/apiguard_loop" "$ITERS" > /dev/null   # the agent's JIT warms up
      sleep 1
      c0=$(counted); d0=$(agent_drops)
    fi
    ns=$(taskset -c "$last" "$BENCH_TMP/apiguard_loop" "$ITERS")
    echo "$ns" >> "$BENCH_TMP/$mode"
    if [ "$mode" != none ]; then
      sleep 1
      expected=0; [ "$mode" = follow ] && expected=$(( 9 * ITERS * 2 ))
      note="($(( $(counted) - c0 ))/$expected, drops $(( $(agent_drops) - d0 )))"
      stop_agent
    fi
    printf '%-6s %-8s %-13s %s\n' "$r" "$mode" "$ns" "$note"
  done
done
none=$(median < "$BENCH_TMP/none"); other=$(median < "$BENCH_TMP/other"); follow=$(median < "$BENCH_TMP/follow")
echo
echo "median ns per iteration: no agent $none, agent following another process $other, agent following this one $follow"
awk -v n="$none" -v o="$other" -v f="$follow" 'BEGIN {
  printf "fixed cost per socket syscall: %.0f ns; cost per captured event: %.0f ns (4 syscalls, 4 events per iteration)\n", (o-n)/4, (f-o)/4 }'
