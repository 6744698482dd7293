#!/usr/bin/env bash
# Throughput and p99 of the apiguard gateway against nginx as a reverse proxy, same backend, same load.
#
#   bench/gateway-vs-nginx.sh [rounds] [seconds] [connections]     (defaults: 3 10 64)
#
# One backend (nginx serving a ~1 KiB JSON file), two proxies in front of it: (a) ./apiguard gateway,
# (b) nginx with an upstream keep-alive pool. wrk drives keep-alive load on loopback, alternating
# a/b each round after one warm-up round each. Prints per-round figures, medians, the throughput
# ratio and both p99s. Everything listens on 127.0.0.1 and is killed on exit.
set -euo pipefail
rounds=${1:-3}
seconds=${2:-10}
conns=${3:-64}
threads=2
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case "$JAVA_HOME" in *25*) ;; *) export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64;; esac
for bin in nginx wrk curl python3; do
  command -v "$bin" >/dev/null || { echo "bench: '$bin' is missing (scripts/install-deps.sh --test installs it)" >&2; exit 2; }
done

jar="$root/app/target/apiguard.jar"
if [ ! -f "$jar" ]; then
  echo "bench: building apiguard (mvn install -DskipTests) ..." >&2
  (cd "$root" && mvn -B -q install -DskipTests >/dev/null)
fi

dir=$(mktemp -d /tmp/apiguard-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_port() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/data.json" && return 0
    sleep 0.1
  done
  echo "bench: nothing answers on 127.0.0.1:$1" >&2; exit 1
}

backend_port=$(free_port); nginx_port=$(free_port); gateway_port=$(free_port); admin_port=$(free_port)
mkdir -p "$dir/www" "$dir/backend" "$dir/proxy"
# ~1 KiB of JSON
python3 - "$dir/www/data.json" <<'PY'
import json, sys
items = [{"id": i, "sku": "SKU-%05d" % i, "qty": i % 7, "price": round(9.99 + i, 2)} for i in range(16)]
body = json.dumps({"ok": True, "order": "A-1001", "items": items})
open(sys.argv[1], "w").write(body[:1024 - 2] + "]}" if len(body) > 1024 else body)
PY

cat >"$dir/backend/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/backend/nginx.pid;
error_log $dir/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$backend_port;
    root $dir/www;
    location / { default_type application/json; }
  }
}
CONF
cat >"$dir/proxy/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $dir/proxy/nginx.pid;
error_log $dir/proxy/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$backend_port; keepalive 256; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
CONF
chmod -R a+rX "$dir"
nginx -p "$dir/backend" -c "$dir/backend/nginx.conf" & pids+=($!)
nginx -p "$dir/proxy" -c "$dir/proxy/nginx.conf" & pids+=($!)
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$jar" gateway --backend "http://127.0.0.1:$backend_port" \
  --listen "127.0.0.1:$gateway_port" --admin-listen "127.0.0.1:$admin_port" 2>"$dir/gateway.log" & pids+=($!)
await_port "$backend_port"; await_port "$nginx_port"; await_port "$gateway_port"

# one wrk run -> "rps p99_ms"
run() {
  local out rps p99
  out=$(wrk -t"$threads" -c"$conns" -d"${1}s" --latency "http://127.0.0.1:$2/data.json")
  if echo "$out" | grep -q 'Non-2xx'; then echo "bench: non-2xx answers from port $2:" >&2; echo "$out" >&2; exit 1; fi
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  echo "$rps $p99"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

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
