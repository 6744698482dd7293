#!/usr/bin/env bash
# TLS capture cost: nginx with TLS (libssl.so.3, one worker, keep-alive) + wrk over https on loopback,
# rounds alternating three modes in one run:
#   off     no agent;
#   plain   `./apiguard agent` with agent.capture.tls false (it sees ciphertext and gives it up);
#   tls     `./apiguard agent` with agent.capture.tls true (uprobes on libssl: plaintext joined to the socket).
# Reports the throughput ratios (median of the rounds' with/without ratios), nginx's and the agent's CPU
# per request, and whether the agent counted every request (tls mode must count them all).
#   bench/agent-tls.sh [ROUNDS=5] [SECONDS=10] [CONNECTIONS=16]
# The agent follows nginx's worker only (--pid), as on a node whose clients are elsewhere. The uprobes
# are per file, so wrk (a libssl client too) still takes their trap and is filtered in the kernel:
# that cost is part of what is measured.
# A last part measures the cost of one probed TLS call alone: Python's ssl over memory BIOs (SSL_write_ex
# and SSL_read_ex with no socket, no event reported), with and without an agent that follows no
# process (--pid 1): the uprobe traps are all that differs.
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}; SECS=${2:-10}; CONNS=${3:-16}
APIGUARD=${APIGUARD:-$ROOT/apiguard}
"$ROOT/scripts/install-deps.sh" --test
"$APIGUARD" --help >/dev/null   # builds when needed
AGENT_CMD=("$APIGUARD")

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i} for i in range(8)]}))' > "$BENCH_TMP/www/item.json"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$BENCH_TMP/key.pem" -out "$BENCH_TMP/cert.pem" -days 1 -subj /CN=localhost 2>/dev/null
printf 'agent:\n  capture:\n    tls: true\n' > "$BENCH_TMP/tls.yaml"
printf 'agent:\n  capture:\n    tls: false\n' > "$BENCH_TMP/plain.yaml"
plain_port=$(free_port); port=$(free_port)
start_nginx "$plain_port" "$BENCH_TMP/www" \
  "listen 127.0.0.1:$port ssl; ssl_certificate $BENCH_TMP/cert.pem; ssl_certificate_key $BENCH_TMP/key.pem;" \
  > "$BENCH_TMP/nginx.master"   # not in $(...): its pid must reach the cleanup trap
wait_port "$port"
worker=$(pgrep -P "$(cat "$BENCH_TMP/nginx.master")" nginx | head -1)
url="https://127.0.0.1:$port/item.json"
tick=$(getconf CLK_TCK)
wrk -t1 -c"$CONNS" -d2s "$url" >/dev/null 2>&1   # warm up
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(openssl version | cut -d' ' -f1-2), wrk -t1 -c$CONNS -d${SECS}s $url"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

nginx_us() { awk -v t="$1" -v hz="$tick" -v n="$2" 'BEGIN {printf "%.2f", t/hz*1e6/n}'; }
# The agent's port listens before its capture starts (and the TLS scan of every process may take
# seconds on a busy machine): wait for its kernel metrics, and with TLS for attached libraries.
agent_ready() { # MODE
  for _ in $(seq 1 600); do
    local m; m=$(curl -s "http://127.0.0.1:$AGENT_PORT/metrics" || true)
    if grep -q '^apiguard_kernel_events_total' <<< "$m" \
        && { [ "$1" != tls ] || awk '/^apiguard_tls_libraries_attached/ {if ($2 > 0) ok=1} END {exit !ok}' <<< "$m"; }; then
      return 0
    fi
    sleep 0.2
  done
  echo "the agent did not start capturing within 120 s" >&2; return 1
}
counted() { curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk '/^api_http_requests_total\{/ && /side="server"/ && /path="\/item"/ {s+=$2} END {print s+0}'; }

echo "round  mode   rps        nginx_us/req  agent_cpu_us/req  counted/requests  drops"
for m in off plain tls; do : > "$BENCH_TMP/rps_$m"; : > "$BENCH_TMP/ngx_$m"; : > "$BENCH_TMP/cpu_$m"; done
for r in $(seq 1 "$ROUNDS"); do
  # Alternate the order of the modes from round to round, so a slow phase of the host hits each.
  if (( r % 2 )); then modes="off plain tls"; else modes="tls plain off"; fi
  for m in $modes; do
    jpid=
    if [ "$m" != off ]; then
      start_agent --pid "$worker" --config "$BENCH_TMP/$m.yaml"
      jpid=$AGENT_PID
      agent_ready "$m"
      wrk -t1 -c"$CONNS" -d3s "$url" >/dev/null 2>&1   # JIT warm-up; its requests are counted too
      base=$(counted)
      before=$(cpu_ticks "$jpid")
    fi
    n0=$(cpu_ticks "$worker")
    rps=$(wrk_rps "$url" "$SECS" "$CONNS"); reqs=$(wrk_requests)
    ngx=$(nginx_us $(( $(cpu_ticks "$worker") - n0 )) "$reqs")
    echo "$rps" >> "$BENCH_TMP/rps_$m"; echo "$ngx" >> "$BENCH_TMP/ngx_$m"
    if [ -n "$jpid" ]; then
      after=$(cpu_ticks "$jpid")
      sleep 1
      seen=$(( $(counted) - base ))
      drops=$(agent_drops)
      cpu_us=$(awk -v t=$((after-before)) -v hz="$tick" -v n="$reqs" 'BEGIN {printf "%.2f", t/hz*1e6/n}')
      echo "$cpu_us" >> "$BENCH_TMP/cpu_$m"
      stop_agent
      printf '%-6s %-6s %-10s %-13s %-17s %-17s %s\n' "$r" "$m" "$rps" "$ngx" "$cpu_us" "$seen/$reqs" "$drops"
    else
      printf '%-6s %-6s %-10s %-13s\n' "$r" "$m" "$rps" "$ngx"
    fi
  done
done

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in off plain tls; do
  echo "median rps $m: $(median < "$BENCH_TMP/rps_$m"); nginx CPU/request $(median < "$BENCH_TMP/ngx_$m") us"
done
for m in plain tls; do
  paired=$(paste -d' ' "$BENCH_TMP/rps_$m" "$BENCH_TMP/rps_off" | awk '{printf "%.4f\n", $1/$2}' | median)
  echo "throughput ratio $m/off: $(awk -v r="$paired" 'BEGIN {printf "%.3f", r}') (median of the rounds' ratios); agent CPU/request $(median < "$BENCH_TMP/cpu_$m") us"
done

# Cost of one probed TLS call: a client and a server SSL object in one Python process, over memory
# BIOs; each iteration is one SSL_write_ex and one SSL_read_ex of 100 bytes. Best of 5 batches.
cat > "$BENCH_TMP/calls.py" <<'PY'
import ssl, sys, time
cert, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cctx = ssl._create_unverified_context()
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); sctx.load_cert_chain(cert, key)
ci, co, si, so = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
c = cctx.wrap_bio(ci, co, server_hostname='x'); s = sctx.wrap_bio(si, so, server_side=True)
for _ in range(100):
    done = 0
    for o in (c, s):
        try:
            o.do_handshake(); done += 1
        except ssl.SSLWantReadError:
            pass
    si.write(co.read()); ci.write(so.read())
    if done == 2:
        break
msg = b'x' * 100
best = None
for _ in range(5):
    t = time.perf_counter()
    for _ in range(n):
        c.write(msg); si.write(co.read()); s.read(1024)
    dt = (time.perf_counter() - t) / n * 1e6
    best = dt if best is None else min(best, dt)
print("%.2f" % best)
PY
echo
echo "probed TLS calls (python3 ssl over memory BIOs; us per SSL_write_ex + SSL_read_ex pair, best of 5 x 20000)"
: > "$BENCH_TMP/pair_off"; : > "$BENCH_TMP/pair_on"
for r in $(seq 1 "$ROUNDS"); do
  off=$(python3 "$BENCH_TMP/calls.py" "$BENCH_TMP/cert.pem" "$BENCH_TMP/key.pem" 20000); echo "$off" >> "$BENCH_TMP/pair_off"
  start_agent --pid 1 --config "$BENCH_TMP/tls.yaml"
  agent_ready tls
  on=$(python3 "$BENCH_TMP/calls.py" "$BENCH_TMP/cert.pem" "$BENCH_TMP/key.pem" 20000); echo "$on" >> "$BENCH_TMP/pair_on"
  stop_agent
  echo "round $r: $off us without the agent, $on us with its uprobes"
done
po=$(median < "$BENCH_TMP/pair_off"); pn=$(median < "$BENCH_TMP/pair_on")
echo "median pair: $po us without, $pn us with: $(awk -v a="$pn" -v b="$po" 'BEGIN {printf "%.1f", (a-b)/2}') us per probed call (entry uprobe + return probe)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
