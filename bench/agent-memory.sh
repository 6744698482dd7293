#!/usr/bin/env bash
# Agent memory: `./apiguard agent` follows SERVICES small servers (one process per service, each with its
# own SERVICE_NAME) while a load generator sends exactly TOTAL HTTP/1.1 requests on 127.0.0.1, spread over
# ROUTES routes (distinct literal first segments, ROUTES/SERVICES per service, each path ending in a
# changing numeric id). A scraper reads /metrics every 10 s, as Prometheus would. Then it reports the
# agent's memory at steady state: VmRSS, VmHWM, threads, and the JVM's heap, metaspace and code cache
# (jcmd), and checks the agent counted exactly TOTAL server-side exchanges over ROUTES routes with 0 drops.
#   bench/agent-memory.sh [TOTAL=1000000] [ROUTES=1000] [SERVICES=100]
# CONNS=2: connections per service. RATE=10000: requests per second in all (0: as fast as the servers
# answer; on a shared 2-vCPU machine the agent then falls behind and the ring buffer drops events).
# SETTLE=15: seconds idle before the steady-state reading.
# NMT=1: also start the agent with native memory tracking (it costs memory itself: a separate reading).
# MAPS=1: the agent's largest mappings by RSS, summed by file (anonymous memory as one line).
# HISTO=1: print the top of the agent's heap histogram (a full GC: taken after the readings).
# APIGUARD=/path/to/other/checkout/apiguard measures another build; AGENT_CONFIG=FILE starts the agent with
# --config FILE (e.g. another ring size); APIGUARD_JAVA_OPTIONS (the launcher's, last so it wins) other JVM options.
# The servers all have the comm `agmem_srv` and the agent follows that comm only (`--comm`), so it sees
# the server side of each exchange and nothing of other processes on the machine.
source "$(dirname "$0")/lib.sh"
TOTAL=${1:-1000000}; ROUTES=${2:-1000}; SERVICES=${3:-100}
CONNS=${CONNS:-2}; RATE=${RATE:-10000}; SETTLE=${SETTLE:-15}
APIGUARD=${APIGUARD:-$ROOT/apiguard}
AGENT_CMD=("$APIGUARD")
"$APIGUARD" --help >/dev/null   # builds when needed
JCMD="$JAVA_HOME/bin/jcmd"

clang -O2 -Wall -Werror -o "$BENCH_TMP/agmem_srv" "$ROOT/bench/src/mem_server.c"
clang -O2 -Wall -Werror -o "$BENCH_TMP/mem_load" "$ROOT/bench/src/mem_load.c"

# The services: svc000..svc099, each its own process on its own free port.
: > "$BENCH_TMP/ports"
for s in $(seq 0 $((SERVICES - 1))); do
  name=$(printf 'svc%03d' "$s")
  SERVICE_NAME=$name "$BENCH_TMP/agmem_srv" "$BENCH_TMP/port.$s" &
  BENCH_PIDS+=($!)
done
for s in $(seq 0 $((SERVICES - 1))); do
  for _ in $(seq 1 100); do [ -s "$BENCH_TMP/port.$s" ] && break; sleep 0.05; done
  [ -s "$BENCH_TMP/port.$s" ] || { echo "bench: service $s did not start" >&2; exit 1; }
  cat "$BENCH_TMP/port.$s" >> "$BENCH_TMP/ports"
done

# JVM_EXTRA: further JVM options for the agent alone (through JAVA_TOOL_OPTIONS), e.g. -Xlog:gc:file=/tmp/gc.log
tool_options=${JVM_EXTRA:-}
if [ "${NMT:-0}" = 1 ]; then tool_options="$tool_options -XX:NativeMemoryTracking=summary"; fi
if [ -n "$tool_options" ]; then export JAVA_TOOL_OPTIONS="$tool_options"; fi
start_agent --comm agmem_srv ${AGENT_CONFIG:+--config "$AGENT_CONFIG"}
unset JAVA_TOOL_OPTIONS
jpid=$AGENT_PID
# The agent binds its port before it loads BPF: wait for its "capturing" line (verifying can be slow on a busy machine).
for _ in $(seq 1 600); do grep -q 'apiguard agent: capturing' "$BENCH_TMP/agent.log" && break; kill -0 "$jpid" 2>/dev/null || break; sleep 0.2; done
grep -q 'apiguard agent: capturing' "$BENCH_TMP/agent.log" || { echo "bench: the agent is not capturing; its log:" >&2; cat "$BENCH_TMP/agent.log" >&2; exit 1; }
sleep 3
idle_rss=$(( $(rss_kib "$jpid") / 1024 ))
echo "setup: $TOTAL requests at ${RATE}/s, $ROUTES routes, $SERVICES services ($CONNS connections each), agent pid $jpid, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "agent JVM options: $(tr '\0' ' ' < "/proc/$jpid/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')${tool_options:+ (and $tool_options)}"
echo "agent RSS after start (idle): $idle_rss MiB${AGENT_CONFIG:+ (config $AGENT_CONFIG: $(tr '\n' ' ' < "$AGENT_CONFIG"))}"

metrics() { curl -s --max-time 20 "http://127.0.0.1:$AGENT_PORT/metrics"; }
# Prometheus' part: a scrape every 10 s while the load runs (bounded: at most 180 scrapes).
( for _ in $(seq 1 180); do metrics > /dev/null || true; sleep 10; done ) &
scraper=$!; BENCH_PIDS+=($scraper)
# The RSS every second while the load runs, for the peak.
( for _ in $(seq 1 1800); do rss_kib "$jpid" 2>/dev/null || exit 0; sleep 1; done ) > "$BENCH_TMP/rss.samples" &
sampler=$!; BENCH_PIDS+=($sampler)

cpu0=$(cpu_ticks "$jpid")
"$BENCH_TMP/mem_load" "$BENCH_TMP/ports" "$ROUTES" "$TOTAL" "$CONNS" 900 "$RATE" | tee "$BENCH_TMP/load.out"
cpu1=$(cpu_ticks "$jpid")
kill "$scraper" "$sampler" 2>/dev/null || true
wait "$scraper" "$sampler" 2>/dev/null || true

# The agent's server-side exchanges, counted from /metrics, until they stop growing (at most 60 s).
seen() { metrics | awk '/^api_http_requests_total\{/ && /side="server"/ {s+=$2} END {printf "%d", s+0}'; }
last=-1; count=$(seen)
for _ in $(seq 1 60); do
  [ "$count" -ge "$TOTAL" ] && [ "$count" = "$last" ] && break
  sleep 1; last=$count; count=$(seen)
done
sleep "$SETTLE"
metrics > "$BENCH_TMP/metrics.txt"   # the steady state includes a scrape's worth of memory
[ -n "${KEEP_METRICS:-}" ] && cp "$BENCH_TMP/metrics.txt" "$KEEP_METRICS"
sleep 1

status() { awk -v k="$1:" '$1==k {print $2}' "/proc/$jpid/status"; }
rss=$(( $(status VmRSS) / 1024 )); hwm=$(( $(status VmHWM) / 1024 )); threads=$(status Threads)
anon=$(( $(status RssAnon) / 1024 )); file=$(( $(status RssFile) / 1024 ))
peak=$(( $(sort -n "$BENCH_TMP/rss.samples" | tail -1) / 1024 ))
drops=$(awk '/^apiguard_events_dropped_total\{/ {s+=$2} END {printf "%d", s+0}' "$BENCH_TMP/metrics.txt")
routes_seen=$(awk '/^api_http_requests_total\{/ && /side="server"/ {match($0, /path="[^"]*"/); p[substr($0, RSTART, RLENGTH)]=1} END {print length(p)}' "$BENCH_TMP/metrics.txt")
services_seen=$(awk '/^api_http_requests_total\{/ && /side="server"/ {match($0, /service="[^"]*"/); p[substr($0, RSTART, RLENGTH)]=1} END {print length(p)}' "$BENCH_TMP/metrics.txt")
overflow=$(awk '/^apiguard_routes_overflow_total\{/ {s+=$2} END {printf "%d", s+0}' "$BENCH_TMP/metrics.txt")
series=$(grep -c '^api_' "$BENCH_TMP/metrics.txt" || true)
reqs=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$BENCH_TMP/load.out")
cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="${reqs:-0}" 'BEGIN {if (n > 0) printf "%.2f", t/hz*1e6/n; else print "nan"}')

echo
echo "agent counted:            $count server-side exchanges (sent $TOTAL), drops $drops ($(awk '/^apiguard_events_dropped_total\{/ && $2 > 0 {match($0, /reason="[^"]*"/); printf "%s %d; ", substr($0, RSTART + 8, RLENGTH - 9), $2}' "$BENCH_TMP/metrics.txt"))"
echo "routes, services:         $routes_seen path labels, $services_seen services; route overflow $overflow; $series api_* series lines in /metrics ($(wc -c < "$BENCH_TMP/metrics.txt") bytes)"
echo "agent CPU per request:    $cpu_us us (during the load; the machine's load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "agent RSS steady state:   $rss MiB (anon $anon, file $file), after ${SETTLE}s idle and one scrape"
echo "agent RSS peak (1 s):     $peak MiB during the load; VmHWM $hwm MiB"
echo "agent threads:            $threads"
if [ "${MAPS:-0}" = 1 ]; then
  echo "largest mappings by RSS (KiB; /proc/PID/smaps):"
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "[anon]" : $6); next} /^Rss:/ {r[name] += $2} END {for (n in r) if (r[n] >= 1024) printf "  %8d  %s\n", r[n], n}' "/proc/$jpid/smaps" | sort -rn | head -15
fi
# The JVM's own view (jcmd attaches: after the /proc readings above, since attaching starts a thread).
echo "JVM heap and metaspace (jcmd GC.heap_info):"
"$JCMD" "$jpid" GC.heap_info 2>/dev/null | awk '/total|used|Metaspace|class space/ {sub(/ *\[0x.*/, ""); sub(/^ */, ""); print "  " $0}'
echo "JVM code cache (jcmd Compiler.codecache):"
"$JCMD" "$jpid" Compiler.codecache 2>/dev/null | awk '/size=|total_blobs|^CodeHeap|^CodeCache/ {sub(/^ */, ""); print "  " $0}'
echo "JVM threads by name:      $("$JCMD" "$jpid" Thread.print 2>/dev/null | awk '/^"/ {n=$0; sub(/^"/, "", n); sub(/".*/, "", n); gsub(/[0-9]+/, "N", n); c[n]++} END {for (k in c) printf "%s x%d; ", k, c[k]}')"
if [ "${NMT:-0}" = 1 ]; then
  echo "native memory (committed, KiB):"
  "$JCMD" "$jpid" VM.native_memory summary 2>/dev/null | awk '/^Total:/ || /^-  / {print "  " $0}' | sed 's/reserved=[0-9]*KB, //'
fi
if [ "${HISTO:-0}" = 1 ]; then
  echo "heap histogram (top 25, after a full GC):"
  "$JCMD" "$jpid" GC.class_histogram 2>/dev/null > "$BENCH_TMP/histo"
  sed -n '1,28p' "$BENCH_TMP/histo"; tail -1 "$BENCH_TMP/histo"
  echo "heap after that full GC (the live set):"
  "$JCMD" "$jpid" GC.heap_info 2>/dev/null | awk '/total|used/ {sub(/ *\[0x.*/, ""); sub(/^ */, ""); print "  " $0}'
  echo "agent RSS after that full GC: $(( $(status VmRSS) / 1024 )) MiB"
fi
stop_agent

ok=1
[ "$count" = "$TOTAL" ] || { echo "FAIL: the agent counted $count exchanges, not $TOTAL" >&2; ok=0; }
[ "$drops" = 0 ] || { echo "FAIL: $drops events dropped" >&2; ok=0; }
[ "$routes_seen" = "$ROUTES" ] || { echo "FAIL: $routes_seen routes, not $ROUTES" >&2; ok=0; }
[ "$services_seen" = "$SERVICES" ] || { echo "FAIL: $services_seen services, not $SERVICES" >&2; ok=0; }
[ "$ok" = 1 ] && echo "exact: $TOTAL exchanges, $ROUTES routes, $SERVICES services, 0 drops"
[ "$ok" = 1 ]
