#!/usr/bin/env bash
# The agent's cost for every other process on the node: ns per syscall with no agent, with the agent
# attached but following one pid only (other processes return at the first check), and with the
# agent following every process (a pipe's fds then go through the socket check each time).
#   bench/syscall-cost.sh [ROUNDS=5]
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}
"$ROOT/scripts/install-deps.sh" --test
"$ROOT/apiguard" --help >/dev/null   # builds when needed
clang -O2 -o "$BENCH_TMP/syscall_cost" "$ROOT/bench/src/syscall_cost.c"

measure() { # mode -> "getppid_ns pipe_rw_ns"
  case "$1" in
    one-pid) start_agent --pid 1 ;;
    all) start_agent ;;
  esac
  "$BENCH_TMP/syscall_cost"
  [ "$1" = none ] || stop_agent
}

echo "round  mode      getppid_ns  pipe_rw_ns (ns per syscall)"
for r in $(seq 1 "$ROUNDS"); do
  for mode in none one-pid all; do
    read -r g p < <(measure "$mode")
    echo "$g" >> "$BENCH_TMP/g-$mode"; echo "$p" >> "$BENCH_TMP/p-$mode"
    printf '%-6s %-9s %-11s %s\n' "$r" "$mode" "$g" "$p"
  done
done
echo
for mode in none one-pid all; do
  printf 'median %-9s getppid %s ns, pipe write or read %s ns\n' "$mode" "$(median < "$BENCH_TMP/g-$mode")" "$(median < "$BENCH_TMP/p-$mode")"
done
