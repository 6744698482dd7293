# Shared helpers for the bench scripts: loopback only, everything started is killed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
BENCH_TMP=$(mktemp -d /tmp/apiguard-bench.XXXXXX)
BENCH_PIDS=()
cleanup() {
  for pid in "${BENCH_PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${BENCH_PIDS[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { # port
  for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# start_nginx PORT WWW_DIR [EXTRA_SERVER_CONF] [EXTRA_HTTP_CONF] -> pid (nginx master); NGINX_WORKERS (default 1)
# (call it without $(...), or its pid never reaches the cleanup trap)
start_nginx() {
  local port=$1 www=$2 extra=${3:-} http_extra=${4:-} dir="$BENCH_TMP/nginx-$1"
  mkdir -p "$dir/tmp"
  cat > "$dir/nginx.conf" <<NGX
user root;
worker_processes ${NGINX_WORKERS:-1};
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 10000000;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp; uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  types { application/json json; }
  default_type application/json;
  $http_extra
  server {
    listen 127.0.0.1:$port;
    root $www;
    $extra
  }
}
NGX
  /usr/sbin/nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
  BENCH_PIDS+=($!)
  wait_port "$port"
  echo $!
}

# start_agent [AGENT_ARGS...]: runs "${AGENT_CMD[@]}" agent on a free loopback metrics port and waits
# until it listens; sets AGENT_PID (the launcher execs java, so it is the JVM's pid) and AGENT_PORT.
# Its output goes to $BENCH_TMP/agent.log. stop_agent ends it.
AGENT_CMD=("$ROOT/apiguard")
start_agent() {
  AGENT_PORT=$(free_port)
  "${AGENT_CMD[@]}" agent --listen "127.0.0.1:$AGENT_PORT" "$@" > "$BENCH_TMP/agent.log" 2>&1 &
  AGENT_PID=$!; BENCH_PIDS+=($AGENT_PID)
  wait_port "$AGENT_PORT"
}
stop_agent() { kill "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; }
# agent_drops -> events the running agent lost, all reasons
agent_drops() { curl -s "http://127.0.0.1:$AGENT_PORT/metrics" | awk '/^apiguard_events_dropped_total\{/ {s+=$2} END {print s+0}'; }

# cpu_ticks PID -> utime+stime of the process and its threads, in clock ticks
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# wrk_rps URL SECONDS CONNECTIONS -> requests/s
wrk_rps() {
  wrk -t1 -c"$3" -d"$2"s --latency "$1" > "$BENCH_TMP/wrk.out" 2>&1
  awk '/Requests\/sec/ {print $2}' "$BENCH_TMP/wrk.out"
}
wrk_requests() { awk '/requests in/ {print $1}' "$BENCH_TMP/wrk.out"; }
wrk_p99_ms() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$BENCH_TMP/wrk.out"; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
