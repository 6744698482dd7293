#!/usr/bin/env bash
# The same JSON service three ways, in alternating rounds on loopback:
#   bare      the service alone
#   otel      the service with the OpenTelemetry Java agent (traces + metrics over OTLP/HTTP to a local sink)
#   apiguard  the bare service observed by `./apiguard agent --port <service port>` (eBPF, another process): port
#             scope, so the agent also rebuilds the load generator's client side of every exchange
#   apiguard-pid  the same at server scope, `./apiguard agent --pid <service pid>`: the service only, as the OTel
#             agent instruments only the server (the fair comparison; the targets are read from this row)
# Each run: warm-up, max throughput (wrk keep-alive, the api mix), then latency at a fixed rate below saturation
# (bench/service FixedRateLoad: open loop, no coordinated omission), CPU per request of service + agent process
# (/proc utime+stime) and RSS. Prints per-run rows, then medians and ratios against bare.
#   bench/compare-otel.sh [ROUNDS=3] [SECONDS=10] [RATE=500] [CONNECTIONS=16]
# Environment: APIGUARD=/path/to/other/checkout/apiguard runs another build of the agent; BASELINE=/path/to/another/
# checkout/apiguard adds its rows (base-port, base-pid) to the same rounds, to compare two builds side by side; BUDGET seconds (default 0, none: no new round starts that would overrun it), SUMMARY_OF=<saved rows.tsv> re-prints a run's tables; OTEL_VERSION (default 2.22.0), WARMUP seconds (default 20: the JIT of a cold JVM dominates short runs), RESULTS dir (default bench/results).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/service-lib.sh"
ROUNDS=${1:-3}; SECS=${2:-10}; RATE=${3:-500}; CONNS=${4:-16}
OTEL_VERSION=${OTEL_VERSION:-2.22.0}; WARMUP=${WARMUP:-20}; BUDGET=${BUDGET:-0}
RESULTS=${RESULTS:-$ROOT/bench/results}
APIGUARD=${APIGUARD:-$ROOT/apiguard}
[[ $BUDGET =~ ^[0-9]+$ ]] || { echo "BUDGET must be a number of seconds (0: no limit)" >&2; exit 2; }
for n in "$ROUNDS" "$SECS" "$RATE" "$CONNS" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "usage: bench/compare-otel.sh [ROUNDS] [SECONDS] [RATE] [CONNECTIONS] (positive integers)" >&2; exit 2; }
done

# Why CPU @max is the headline: at the fixed rate a warm-ish JVM's background work (JIT, GC threads) is spread
# over few requests; at max throughput over tens of thousands. Both are printed.
summary() {
  local b_rps b_p50 b_p99 b_cpu b_cpumax b_rss
  b_rps=$(col "$rows" bare rps); b_p50=$(col "$rows" bare p50_us); b_p99=$(col "$rows" bare p99_us)
  b_cpu=$(col "$rows" bare cpu_us_fixed); b_cpumax=$(col "$rows" bare cpu_us_max); b_rss=$(col "$rows" bare svc_rss)
  local rounds; rounds=$(awk -F'\t' '$1=="bare"' "$rows" | wc -l)
  echo
  echo "medians over $rounds rounds (fixed rate $RATE/s; CPU = service + agent process; added = minus bare, from the CPU at max throughput)"
  printf '| %-12s | %9s | %6s | %9s | %9s | %10s | %12s | %14s | %14s | %12s | %12s | %11s |\n' config "max rps" "vs bare" \
    "p50 us" "p99 us" "p99.9 us" "added p99 us" "CPU us/req @max" "CPU us/req @rate" "added CPU us" "svc RSS MiB" "agent RSS MiB"
  printf '|%s|\n' "--------------|-----------|--------|-----------|-----------|------------|--------------|-----------------|------------------|--------------|--------------|---------------"
  for m in bare otel apiguard apiguard-pid base-port base-pid; do
    [ -n "$(col "$rows" "$m" rps)" ] || continue
    local rps p50 p99 p999 cpu cpumax srss arss
    rps=$(col "$rows" "$m" rps); p50=$(col "$rows" "$m" p50_us); p99=$(col "$rows" "$m" p99_us); p999=$(col "$rows" "$m" p999_us)
    cpu=$(col "$rows" "$m" cpu_us_fixed); cpumax=$(col "$rows" "$m" cpu_us_max); srss=$(col "$rows" "$m" svc_rss); arss=$(col "$rows" "$m" agent_rss)
    printf '| %-12s | %9s | %6s | %9s | %9s | %10s | %12s | %15s | %16s | %12s | %12s | %13s |\n' "$m" "$rps" "$(ratio "$rps" "$b_rps")" \
      "$p50" "$p99" "$p999" "$(diff_of "$p99" "$b_p99")" "$cpumax" "$cpu" "$(diff_of "$cpumax" "$b_cpumax")" "$srss" "$arss"
  done
  echo
  echo "in the terms of the original claim (overhead against bare, medians; CPU % = added CPU per request / bare's, at max throughput;"
  echo "memory = service RSS growth + the agent process's RSS)"
  echo "| config       | added p50 ms | added p99 ms | CPU overhead | added memory MiB |"
  echo "|--------------|--------------|--------------|--------------|------------------|"
  for m in bare otel apiguard apiguard-pid base-port base-pid; do
    [ -n "$(col "$rows" "$m" rps)" ] || continue
    [ "$m" = bare ] && continue
    awk -v p50="$(col "$rows" "$m" p50_us)" -v bp50="$b_p50" -v p99="$(col "$rows" "$m" p99_us)" -v bp99="$b_p99" \
        -v cpu="$(col "$rows" "$m" cpu_us_max)" -v bcpu="$b_cpumax" -v srss="$(col "$rows" "$m" svc_rss)" -v brss="$b_rss" \
        -v arss="$(col "$rows" "$m" agent_rss)" -v m="$m" \
      'BEGIN {printf "| %-12s | %12.3f | %12.3f | %11.1f%% | %16.1f |\n", m, (p50-bp50)/1000, (p99-bp99)/1000,
              (bcpu > 0 ? (cpu-bcpu)/bcpu*100 : 0), srss-brss+arss}'
  done
  if [ -n "$(col "$rows" apiguard-pid rps)" ]; then
    # The targets are read at server scope (apiguard-pid): the OTel agent instruments the server only.
    local oc ac ap50 rps_ratio
    oc=$(awk -v a="$(col "$rows" otel cpu_us_max)" -v b="$b_cpumax" 'BEGIN {print a-b}')
    ac=$(awk -v a="$(col "$rows" apiguard-pid cpu_us_max)" -v b="$b_cpumax" 'BEGIN {print a-b}')
    ap50=$(awk -v a="$(col "$rows" apiguard-pid p50_us)" -v b="$b_p50" 'BEGIN {print a-b}')
    rps_ratio=$(awk -v a="$(col "$rows" apiguard-pid rps)" -v b="$b_rps" 'BEGIN {printf "%.3f", (b > 0 ? a/b : 0)}')
    echo
    awk -v a="$ac" -v o="$oc" 'BEGIN {printf "target (server scope): apiguard added CPU/req (at max throughput) <= 1/5 of OTel'"'"'s: %.1f us vs %.1f us (ratio %s) -> %s\n", a, o,
      (o > 0 ? sprintf("%.2f", a/o) : "n/a"), (o > 0 && a <= o/5 ? "MET" : "NOT MET")}'
    awk -v a="$ac" -v b="$b_cpumax" 'BEGIN {printf "target (server scope): apiguard added CPU/req <= 10 %% of bare'"'"'s: %.1f us vs %.1f us (%.1f %%) -> %s\n", a, b,
      (b > 0 ? a/b*100 : 0), (b > 0 && a <= b/10 ? "MET" : "NOT MET")}'
    awk -v r="$rps_ratio" 'BEGIN {printf "target (server scope): max throughput >= 0.95 x bare: %s -> %s\n", r, (r >= 0.95 ? "MET" : "NOT MET")}'
    awk -v a="$ap50" 'BEGIN {printf "target (server scope): added p50 at '"$RATE"'/s <= 20 us: %+.1f us -> %s\n", a, (a <= 20 ? "MET" : "NOT MET")}'
  elif [ -n "$(col "$rows" apiguard rps)" ]; then
    echo; echo "targets: read at server scope; this run has no apiguard-pid row"
  else
    echo; echo "targets: n/a (no apiguard agent on this branch)"
  fi
}

if [ "${SUMMARY_OF:-}" ]; then   # SUMMARY_OF=rows.tsv bench/compare-otel.sh _ _ RATE: re-print the tables of a saved run
  rows=$SUMMARY_OF; summary; exit 0
fi
"$ROOT/scripts/install-deps.sh" --test
build_service
OTEL_JAR=$(otel_jar "$OTEL_VERSION")
modes=(bare otel apiguard apiguard-pid)
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" agent --help > /dev/null 2>&1 || { echo "bench: BASELINE=$BASELINE: 'agent --help' fails" >&2; exit 2; }
  modes+=(base-port base-pid)
fi
if ! "$APIGUARD" agent --help > "$BENCH_TMP/agent-help.txt" 2>&1; then
  echo "bench: './apiguard agent' is not available on this branch; the apiguard row is n/a:" >&2
  tail -3 "$BENCH_TMP/agent-help.txt" >&2
  modes=(bare otel)
fi

sink_port=$(free_port)
python3 "$ROOT/bench/otlp-sink.py" "$sink_port" & BENCH_PIDS+=($!)
wait_http "$sink_port" 60   # python starts slowly on a loaded machine

# A fixed, pre-touched heap: RSS differences then show what an agent adds beyond the heap, not heap-sizing luck.
SERVICE_HEAP=(-Xms256m -Xmx256m -XX:+AlwaysPreTouch)
rows="$BENCH_TMP/rows.tsv"
printf 'mode\tround\trps\tcpu_us_max\tp50_us\tp99_us\tp999_us\tsvc_p99_us\tcpu_us_fixed\tsvc_rss\tagent_rss\tevidence\n' > "$rows"

# run_once MODE ROUND: one fresh service (+ agent), measured; appends a row
run_once() {
  local mode=$1 round=$2 port svc agent="" mport="" env=() jvm=() evidence=""
  port=$(free_port)
  if [ "$mode" = otel ]; then
    jvm=(-javaagent:"$OTEL_JAR")
    env=(OTEL_SERVICE_NAME=bench-service OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_LOGS_EXPORTER=none
         OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port"
         OTEL_METRIC_EXPORT_INTERVAL=5000 OTEL_BSP_SCHEDULE_DELAY=1000)
  fi
  env "${env[@]}" "$JAVA" "${SERVICE_HEAP[@]}" "${jvm[@]}" -jar "$SERVICE_JAR" "$port" > "$BENCH_TMP/service-$mode-$round.log" 2>&1 &
  svc=$!; BENCH_PIDS+=($svc)
  wait_http_alive "$port" "$svc" 120 || { echo "bench: the $mode service did not start:" >&2; tail -5 "$BENCH_TMP/service-$mode-$round.log" >&2; exit 1; }
  if [[ $mode = apiguard* || $mode = base-* ]]; then
    mport=$(free_port)
    local scope=(--port "$port") launcher=$APIGUARD
    [[ $mode = *-pid ]] && scope=(--pid "$svc")
    [[ $mode = base-* ]] && launcher=$BASELINE
    "$launcher" agent "${scope[@]}" --listen "127.0.0.1:$mport" > "$BENCH_TMP/agent-$mode-$round.log" 2>&1 &
    agent=$!; BENCH_PIDS+=($agent)
    wait_http_alive "$mport" "$agent" 120 || { echo "bench: the apiguard agent did not start:" >&2; tail -5 "$BENCH_TMP/agent-$mode-$round.log" >&2; exit 1; }
    agent=$(pgrep -P "$agent" java || echo "$agent")   # the launcher execs java: usually the same pid
    sleep 1
  fi
  local url="http://127.0.0.1:$port"
  local sink_before
  sink_before=$(curl -s "http://127.0.0.1:$sink_port/stats")
  wrk -t1 -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/api-mix.lua" "$url" > "$BENCH_TMP/wrk.out" 2>&1
  local sent; sent=$(wrk_requests)

  local c0 c1 reqs rps line
  c0=$(cpu_of "$svc" $agent)
  rps=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -s "$ROOT/bench/api-mix.lua" "$url" 2>&1 | tee "$BENCH_TMP/wrk.out" | awk '/Requests\/sec/ {print $2}')
  c1=$(cpu_of "$svc" $agent); reqs=$(wrk_requests)
  grep -q 'Non-2xx' "$BENCH_TMP/wrk.out" && echo "bench: $mode round $round: wrk saw non-2xx responses" >&2
  local cpu_max; cpu_max=$(us_per_req $((c1 - c0)) "$reqs")

  sleep 1
  c0=$(cpu_of "$svc" $agent)
  line=$(fixed_rate "$url" "$RATE" "$SECS" 4 api) || { echo "bench: fixed-rate run failed: $line" >&2; exit 1; }
  c1=$(cpu_of "$svc" $agent)
  local fixed_reqs; fixed_reqs=$(kv "$line" requests)
  sent=$(( sent + reqs + fixed_reqs + 2 * RATE ))   # approximately: the generator's warm-up runs at RATE
  # the generator's warm-up second is load too: count its requests in the CPU denominator
  local cpu_fixed; cpu_fixed=$(us_per_req $((c1 - c0)) $(( fixed_reqs + 2 * RATE )))
  [ "$(kv "$line" errors)" = 0 ] && [ "$(kv "$line" non2xx)" = 0 ] || echo "bench: $mode round $round: fixed-rate errors: $line" >&2

  local svc_rss agent_rss=0
  svc_rss=$(rss_mib "$svc"); [ -n "$agent" ] && agent_rss=$(rss_mib "$agent")
  case $mode in
    otel) sleep 2; evidence="sink:$(curl -s "http://127.0.0.1:$sink_port/stats" | python3 -c '
import json, sys
before = json.loads(sys.argv[1]); now = json.load(sys.stdin)
print(",".join("%s=%dKiB/%dposts" % (p.rsplit("/", 1)[-1], (v["bytes"] - before.get(p, {}).get("bytes", 0)) // 1024,
      v["requests"] - before.get(p, {}).get("requests", 0)) for p, v in sorted(now.items())))' "$sink_before")" ;;
    apiguard*|base-*) sleep 1; evidence="sent~$sent,agent_counted=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '/^api_http_requests_total\{/ && /side="server"/ {s+=$NF} END {printf "%d", s}'),drops=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '/^apiguard_events_dropped_total/ {s+=$NF} END {printf "%d", s}')" ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$round" "$rps" "$cpu_max" \
    "$(kv "$line" p50_us)" "$(kv "$line" p99_us)" "$(kv "$line" p999_us)" "$(kv "$line" svc_p99_us)" \
    "$cpu_fixed" "$svc_rss" "$agent_rss" "$evidence" >> "$rows"
  printf '%-12s round %s: %8s rps  %7s us/req  fixed %s/s: p50 %7s us  p99 %8s us  cpu %7s us/req  rss %s + %s MiB  %s\n' \
    "$mode" "$round" "$rps" "$cpu_max" "$RATE" "$(kv "$line" p50_us)" "$(kv "$line" p99_us)" "$cpu_fixed" "$svc_rss" "$agent_rss" "$evidence"
  [ -n "$agent" ] && stop "$agent"
  stop "$svc"
}

echo "compare-otel: $ROUNDS rounds x ${modes[*]}; wrk -t1 -c$CONNS -d${SECS}s (api mix); fixed rate $RATE/s for ${SECS}s on 4 connections; OTel agent $OTEL_VERSION"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(uname -r)"
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
began=0   # the budget counts from the start of the script, setup included
for r in $(seq 1 "$ROUNDS"); do
  round_start=$SECONDS
  n=${#modes[@]}
  for i in $(seq 0 $((n - 1))); do run_once "${modes[$(( (i + r - 1) % n ))]}" "$r"; done   # rotate the order each round
  cp "$rows" "$RESULTS/compare-otel-$stamp.tsv"   # kept as it grows: a run cut short still leaves its rows
  if [ "$BUDGET" -gt 0 ] && [ $r -lt "$ROUNDS" ] && [ $(( SECONDS - began + SECONDS - round_start )) -gt "$BUDGET" ]; then
    echo "compare-otel: stopping after $r of $ROUNDS rounds: another round would overrun the ${BUDGET}s budget" >&2
    break
  fi
done

summary | tee "$BENCH_TMP/summary.txt"
cp "$BENCH_TMP/summary.txt" "$RESULTS/compare-otel-$stamp.txt"
echo "rows: $RESULTS/compare-otel-$stamp.tsv"
