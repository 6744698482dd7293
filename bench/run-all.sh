#!/usr/bin/env bash
# Reruns every end-to-end benchmark with settings that fit in 28 minutes (each step has its own time limit),
# then prints their tables together. Results also land in bench/results/ (not committed).
#   bench/run-all.sh
# Steps: build (./apiguard, bench/service), agent-overhead.sh 3 rounds x 5 s (shared and pinned cores), syscall-cost.sh 3 rounds, event-cost.sh 3 rounds,
# compare-otel.sh 3 rounds x 6 s (15 s warm-up per JVM),
# compare-proxies.sh 3 rounds x 6 s. A failing step is reported and the others still run. On a busy machine the
# compare scripts run fewer rounds rather than overrun (BUDGET); the tables say how many rounds they hold.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
LOGS=$(mktemp -d /tmp/apiguard-run-all.XXXXXX)
trap 'rm -rf "$LOGS"' EXIT
started=$SECONDS
status=0

step() { # NAME LIMIT_SECONDS COMMAND...
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s) =="
  timeout --kill-after=10 "$limit" "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 124 ] && echo "run-all: $name hit its ${limit}s limit" >&2
  [ "$rc" = 0 ] || { echo "run-all: $name exited $rc" >&2; status=1; }
  echo "run-all: $name done at $(( SECONDS - started ))s"
}

"$ROOT/scripts/install-deps.sh" --test
step build 240 bash -c "'$ROOT/apiguard' --help > /dev/null; mvn -B -q -f '$ROOT/bench/service/pom.xml' package"
step agent-overhead 150 "$ROOT/bench/agent-overhead.sh" 3 5 16
PIN=1 step agent-overhead-pinned 150 "$ROOT/bench/agent-overhead.sh" 3 5 16
step syscall-cost 120 "$ROOT/bench/syscall-cost.sh" 3
step event-cost 150 "$ROOT/bench/event-cost.sh" 3 20000
WARMUP=15 BUDGET=570 step compare-otel 600 "$ROOT/bench/compare-otel.sh" 3 6 500 16
WARMUP=5 BUDGET=220 step compare-proxies 240 "$ROOT/bench/compare-proxies.sh" 3 6 1000 16

echo
echo "==================== tables ($(( SECONDS - started ))s in all) ===================="
echo "-- agent overhead (nginx static + wrk, without/with ./apiguard agent)"
grep -A7 '^median rps without' "$LOGS/agent-overhead.log" || echo "(no result)"
echo; echo "-- agent overhead, PIN=1 (nginx and wrk on one vCPU, the agent on the other)"
grep -A7 '^median rps without' "$LOGS/agent-overhead-pinned.log" || echo "(no result)"
echo; echo "-- syscall cost for processes the agent does not capture (ns per syscall)"
grep '^median' "$LOGS/syscall-cost.log" || echo "(no result)"
echo; echo "-- in-kernel cost per captured event (agent on its own core)"
grep -A1 '^median ns' "$LOGS/event-cost.log" || echo "(no result)"
for name in compare-otel compare-proxies; do
  echo; echo "-- $name"
  sed -n '/^medians over/,$p' "$LOGS/$name.log" | grep -v '^rows:' || true
  grep -q '^medians over' "$LOGS/$name.log" || echo "(no result)"
done
exit $status
