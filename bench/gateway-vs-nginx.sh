#!/usr/bin/env bash
# Throughput and p99 of the apiguard gateway against nginx as a reverse proxy, same backend, same load.
#
#   bench/gateway-vs-nginx.sh [rounds] [seconds] [connections]     (defaults: 3 10 64)
#
# One backend (nginx serving a ~1 KiB JSON file), two proxies in front of it: (a) ./apiguard gateway,
# (b) nginx with an upstream keep-alive pool. wrk drives keep-alive load on loopback, alternating
# a/b each round after one warm-up round each. Prints per-round figures, medians, the throughput
# ratio and both p99s. Everything listens on 127.0.0.1 and is killed on exit.
source "$(dirname "$0")/lib.sh"
rounds=${1:-3}
seconds=${2:-10}
conns=${3:-64}
threads=2
"$ROOT/scripts/install-deps.sh" --test
"$ROOT/apiguard" --help >/dev/null   # builds when needed
dir=$BENCH_TMP

backend_port=$(free_port); nginx_port=$(free_port); gateway_port=$(free_port); admin_port=$(free_port)
mkdir -p "$dir/www"
# ~1 KiB of JSON
python3 - "$dir/www/data.json" <<'PY'
import json, sys
items = [{"id": i, "sku": "SKU-%05d" % i, "qty": i % 7, "price": round(9.99 + i, 2)} for i in range(16)]
body = json.dumps({"ok": True, "order": "A-1001", "items": items})
open(sys.argv[1], "w").write(body[:1024 - 2] + "]}" if len(body) > 1024 else body)
PY
start_nginx "$backend_port" "$dir/www" > "$dir/backend.pid"
# The proxy: two workers (the gateway uses one I/O thread per core), an upstream keep-alive pool.
NGINX_WORKERS=2 start_nginx "$nginx_port" "$dir/www" '
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }' "upstream backend { server 127.0.0.1:$backend_port; keepalive 256; }" > "$dir/proxy.pid"
# Through the launcher (it execs java): the gateway runs with the JVM options ./apiguard gives it.
"$ROOT/apiguard" gateway --backend "http://127.0.0.1:$backend_port" \
  --listen "127.0.0.1:$gateway_port" --admin-listen "127.0.0.1:$admin_port" 2>"$dir/gateway.log" &
BENCH_PIDS+=($!)
wait_port "$gateway_port"

# one wrk run -> "rps p99_ms"
run() {
  local out rps p99
  out=$(wrk -t"$threads" -c"$conns" -d"${1}s" --latency "http://127.0.0.1:$2/data.json")
  if echo "$out" | grep -q 'Non-2xx'; then echo "bench: non-2xx answers from port $2:" >&2; echo "$out" >&2; exit 1; fi
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  echo "$rps $p99"
}

echo "bench: $(date -u +%FT%TZ), $(nproc) cores, wrk -t$threads -c$conns -d${seconds}s, $rounds rounds, 1 KiB JSON"
echo "bench: warm-up (15 s each, not counted; the JIT needs it)"
run 15 "$gateway_port" >/dev/null; run 15 "$nginx_port" >/dev/null
: >"$dir/gateway.txt"; : >"$dir/nginx.txt"
for r in $(seq 1 "$rounds"); do
  g=$(run "$seconds" "$gateway_port"); echo "$g" >>"$dir/gateway.txt"
  n=$(run "$seconds" "$nginx_port"); echo "$n" >>"$dir/nginx.txt"
  echo "round $r: gateway ${g% *} req/s p99 ${g#* } ms | nginx ${n% *} req/s p99 ${n#* } ms"
done
g_rps=$(awk '{print $1}' "$dir/gateway.txt" | median); g_p99=$(awk '{print $2}' "$dir/gateway.txt" | median)
n_rps=$(awk '{print $1}' "$dir/nginx.txt" | median); n_p99=$(awk '{print $2}' "$dir/nginx.txt" | median)
ratio=$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
echo "median: gateway $g_rps req/s p99 $g_p99 ms | nginx $n_rps req/s p99 $n_p99 ms"
echo "throughput ratio gateway/nginx: $ratio (target >= 0.8)"
