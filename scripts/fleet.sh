#!/usr/bin/env bash
# A fleet of three simulated nodes on this machine, scored fleet-wide through a real Prometheus.
#
# usage: scripts/fleet.sh [--all]     (as root; build first: mvn -B -o -pl app -am package -DskipTests)
#
# Each node is a network namespace apiguard-fleet-nodeN with a point-to-point veth to the host
# (host 10.200.N.1/24, node 10.200.N.2/24) running a small JSON shop (OTEL_SERVICE_NAME=shop, so the
# three nodes are one service) on 10.200.N.2:8080, plus a control port 8081 that switches its
# incident on and off. Each node's agent runs on the host, scoped with --netns to that namespace
# (and --port 8080), and listens on its own loopback port. One Prometheus scrapes the three agents
# every second as instances node1..node3; one scorer scores from it, summing over instances
# (sum by (service, path)); two gateway replicas read that scorer and proxy through one haproxy
# (round robin over the three nodes), so both replicas see every node's traffic and trip on the same
# fleet-wide score. A bounded load (python, 60 requests/s) goes through both replicas. Prometheus
# loads deploy/prometheus's rules and alerts and also scrapes the scorer and the gateways' admin ports.
#
# Scenarios. Default: (a) only. --all: (a), then (c), then (b) (killing agents last, since a
# Prometheus restart with no agents left would have nothing to score).
#   (a) incident: node2's shop answers silent 200s ({"success":false}) on POST /api/v1/checkout.
#       Printed: the fleet-wide score of that route and its bad share (about 1/3), when the score
#       fell below the trip score, and when each gateway opened that route's breaker. Then every
#       panel query of deploy/grafana/apiguard.json (service=shop, route=checkout; then All) runs
#       against the live Prometheus: each panel must return data ("FLEET dashboard ..." lines).
#   (c) Prometheus restart: scores come back; no breaker changes state meanwhile.
#   (b) node1's agent killed: its series go stale, the scores come from node2 and node3, nothing
#       trips; then every agent killed: the scores go, the gateways fail open and log why.
# Machine-readable lines start with "FLEET " on stdout (scripts/fleet.sh | grep '^FLEET '); the
# last is "FLEET result=pass" or "FLEET result=fail failures=N". Everything started is stopped
# by PID on exit and the namespaces and veths are removed. Time: under 1 min default, 2-3 min --all.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
mode=incident
case "${1:-}" in
  "") ;;
  --all) mode=all ;;
  -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "fleet.sh: unknown argument '$1' (usage: scripts/fleet.sh [--all])" >&2; exit 2 ;;
esac

die() { echo "fleet.sh: $*" >&2; exit 2; }
say() { echo "fleet: $(date -u +%H:%M:%S) $*" >&2; }
results=()
emit() { echo "FLEET $*"; results+=("$*"); }
failures=0
check() { # check NAME CONDITION-TEXT TRUE|FALSE
  if [ "$3" = true ]; then emit "check=$1 ok=true"; else emit "check=$1 ok=false detail=\"$2\""; failures=$((failures + 1)); fi
}
now() { date +%s.%N | cut -c1-14; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, BPF)"
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA_HOME to a JDK 25)"
JAR=$root/app/target/apiguard.jar
JAVA_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m)
# FLEET_CLASSPATH (tests: the module's class path) runs the classes instead of the jar.
if [ -n "${FLEET_CLASSPATH:-}" ]; then
  APIGUARD=("$JAVA" "${JAVA_OPTS[@]}" --enable-native-access=ALL-UNNAMED -cp "$FLEET_CLASSPATH" dev.apiguard.app.Main)
else
  [ -f "$JAR" ] || die "$JAR missing: build it with mvn -B -o -pl app -am package -DskipTests"
  APIGUARD=("$JAVA" "${JAVA_OPTS[@]}" -jar "$JAR")
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || die "python3 missing (apt-get install python3)"
for tool in ip prometheus haproxy curl jq flock; do
  command -v "$tool" >/dev/null || die "$tool missing (apt-get install iproute2 prometheus haproxy curl jq util-linux)"
done

NODES=(1 2 3)
ns_name() { echo "apiguard-fleet-node$1"; }
WINDOW=15s            # scorer window: short, so the demo runs in minutes
RATE=60               # requests per second through both gateways
TRIP_SCORE=70         # the gateways' default breaker.trip-score
INCIDENT_NODE=2
INCIDENT_ROUTE=/api/v1/checkout
OPEN_DEADLINE=45      # seconds from the incident to both breakers open (documented bound)

# One fleet at a time: the namespace names are fixed. A lock nobody holds with namespaces left
# over means a killed run: its namespaces are ours to remove.
exec 9>/run/apiguard-fleet.lock
flock -n 9 || die "another scripts/fleet.sh is running (lock /run/apiguard-fleet.lock)"

work=$(mktemp -d /tmp/apiguard-fleet.XXXXXX)
declare -A PIDS=()
started() { PIDS[$1]=$2; }

remove_network() {
  for n in "${NODES[@]}"; do
    ip link del "agfleet${n}h" 2>/dev/null || true
    ip netns delete "$(ns_name "$n")" 2>/dev/null || true
  done
}

stop_pid() { # stop_pid NAME: TERM, then KILL after 10 s
  local pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Traffic first, then the readers of the scores, then what they read.
  for name in load watch gw1 gw2 haproxy scorer prometheus agent1 agent2 agent3 shop1 shop2 shop3 "${!PIDS[@]}"; do
    stop_pid "$name"
  done
  remove_network
  if [ -n "${FLEET_KEEP_LOGS:-}" ]; then say "logs kept in $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() { # wait_http URL SECONDS NAME
  local deadline=$(( $(date +%s) + $2 ))
  until curl -sf -o /dev/null --max-time 2 "$1"; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$3 did not answer at $1 within $2 s (log: $(tail -n 3 "$work/$3.log" 2>/dev/null | tr '\n' ' '))"
    kill -0 "${PIDS[$3]}" 2>/dev/null || die "$3 exited: $(tail -n 3 "$work/$3.log" | tr '\n' ' ')"
    sleep 0.3
  done
}

# ---------------------------------------------------------------- the pieces (written to $work)
cat >"$work/node.py" <<'EOF'
"""A node's shop: JSON on ADDR:8080; ADDR:8081 POST /incident/on|off switches silent 200s on checkout."""
import json, random, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ADDR = sys.argv[1]
incident = threading.Event()


class Shop(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/api/v1/users/"):
            self.reply(200, {"id": int(path.rsplit("/", 1)[1] or 0), "name": "someone"})
        elif path == "/api/v1/search":
            self.reply(200, {"results": [{"sku": "sku-%d" % i} for i in range(3)], "total": 3})
        else:
            self.reply(404, {"error": {"code": "not_found", "message": "no such endpoint"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path == "/api/v1/checkout":
            time.sleep(random.uniform(0.002, 0.01))
            if incident.is_set():
                self.reply(200, {"success": False, "error": {"code": "payment_failed", "message": "card declined"}})
            else:
                self.reply(200, {"success": True, "order_id": "ord_%06d" % random.randint(0, 999999)})
        else:
            self.reply(404, {"error": {"code": "not_found", "message": "no such endpoint"}})


class Control(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        if self.path == "/incident/on":
            incident.set()
        elif self.path == "/incident/off":
            incident.clear()
        self.send_response(204)
        self.end_headers()


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 256
control = ThreadingHTTPServer((ADDR, 8081), Control)
threading.Thread(target=control.serve_forever, daemon=True).start()
ThreadingHTTPServer((ADDR, 8080), Shop).serve_forever()
EOF

cat >"$work/load.py" <<'EOF'
"""Bounded load: RATE requests/s for at most DURATION s, spread over the gateway URLs."""
import http.client, json, random, signal, sys, threading, time

rate, duration, urls = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
THREADS = 6
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
counts = {}
lock = threading.Lock()


def worker(i):
    host, port = urls[i % len(urls)].split("//")[1].split(":")
    conn = None
    interval = THREADS / rate
    next_at = time.monotonic() + random.uniform(0, interval)
    end = time.monotonic() + duration
    while not stop.is_set() and time.monotonic() < end:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        next_at += interval
        kind = random.randrange(3)
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
            if kind == 0:
                conn.request("GET", "/api/v1/users/%d" % random.randint(1, 900))
            elif kind == 1:
                conn.request("GET", "/api/v1/search?q=lamp")
            else:
                conn.request("POST", "/api/v1/checkout", body=json.dumps({"cart": 1}),
                             headers={"Content-Type": "application/json"})
            status = conn.getresponse()
            status.read()
            key = str(status.status)
        except Exception as e:
            key = type(e).__name__
            if conn is not None:
                conn.close()
            conn = None
        with lock:
            counts[key] = counts.get(key, 0) + 1


threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(counts), flush=True)
EOF

cat >"$work/watch.py" <<'EOF'
"""Polls both gateways' /api/v1/breakers every 250 ms for at most 15 min; prints one line per
state change: EPOCH_SECONDS GATEWAY ROUTE STATE REASON"""
import json, sys, time, urllib.request

gateways = dict(arg.split("=", 1) for arg in sys.argv[1:])
last = {}
end = time.monotonic() + 900
while time.monotonic() < end:
    for name, url in gateways.items():
        try:
            with urllib.request.urlopen(url + "/api/v1/breakers", timeout=2) as r:
                breakers = json.load(r)["breakers"]
        except Exception:
            continue
        for b in breakers:
            key = (name, b["route"])
            if last.get(key) != b["state"]:
                last[key] = b["state"]
                print("%.2f %s %s %s %s" % (time.time(), name, b["route"], b["state"],
                                            (b.get("reason") or "-").replace(" ", "_")), flush=True)
    time.sleep(0.25)
EOF

# ---------------------------------------------------------------- network: 3 namespaces, 3 veths
for n in "${NODES[@]}"; do
  if ip netns list | grep -qw "$(ns_name "$n")"; then
    say "removing $(ns_name "$n") left by an interrupted run"
  fi
done
remove_network
for n in "${NODES[@]}"; do
  ns=$(ns_name "$n")
  ip netns add "$ns"
  ip link add "agfleet${n}h" type veth peer name "agfleet${n}n"
  ip link set "agfleet${n}n" netns "$ns"
  ip addr add "10.200.$n.1/24" dev "agfleet${n}h"
  ip link set "agfleet${n}h" up
  ip -n "$ns" addr add "10.200.$n.2/24" dev "agfleet${n}n"
  ip -n "$ns" link set "agfleet${n}n" up
  ip -n "$ns" link set lo up
done
say "namespaces up: $(ip netns list | grep -o 'apiguard-fleet-node[0-9]' | tr '\n' ' ')"

export APIGUARD_ADMIN_TOKEN=${APIGUARD_ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export XDG_STATE_HOME=$work/state

# ---------------------------------------------------------------- services and agents
declare -A AGENT_PORT=()
for n in "${NODES[@]}"; do
  ns=$(ns_name "$n")
  OTEL_SERVICE_NAME=shop ip netns exec "$ns" "$PY" "$work/node.py" "10.200.$n.2" >"$work/shop$n.log" 2>&1 &
  started "shop$n" $!
  AGENT_PORT[$n]=$(free_port)
  "${APIGUARD[@]}" agent --netns "$ns" --port 8080 --listen "127.0.0.1:${AGENT_PORT[$n]}" \
    >"$work/agent$n.log" 2>&1 &
  started "agent$n" $!
done
for n in "${NODES[@]}"; do
  wait_http "http://10.200.$n.2:8080/api/v1/search" 30 "shop$n"
  wait_http "http://127.0.0.1:${AGENT_PORT[$n]}/metrics" 60 "agent$n"
done
say "3 shops and 3 agents up (agents on 127.0.0.1:${AGENT_PORT[1]},${AGENT_PORT[2]},${AGENT_PORT[3]})"

# ---------------------------------------------------------------- prometheus
PROM_PORT=$(free_port)
# The scorer's and the gateways' ports now: Prometheus scrapes them too (the dashboard's breaker and
# scorer panels), from before they listen (until then their `up` is 0).
SCORER_PORT=$(free_port)
declare -A GW_PORT=() GW_ADMIN=()
for g in gw1 gw2; do GW_PORT[$g]=$(free_port); GW_ADMIN[$g]=$(free_port); done
cp "$root/deploy/prometheus/apiguard-rules.yml" "$root/deploy/prometheus/apiguard-alerts.yml" "$work/"
{
  echo "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}"
  echo "rule_files: [apiguard-rules.yml, apiguard-alerts.yml]"   # deploy/prometheus, as deployed
  echo "scrape_configs:"
  echo "  - job_name: apiguard-agents"   # the agent alerts match job=~"apiguard-agent.*"
  echo "    static_configs:"
  for n in "${NODES[@]}"; do
    echo "      - targets: ['127.0.0.1:${AGENT_PORT[$n]}']"
    echo "        labels: {instance: node$n}"   # the node's identity, not its agent's port
  done
  echo "  - job_name: apiguard-scorer"
  echo "    static_configs:"
  echo "      - targets: ['127.0.0.1:$SCORER_PORT']"
  echo "        labels: {instance: scorer}"
  # The gateways' breakers and self-metrics, but not their request families: the fleet's scores
  # come from the nodes' agents alone, so that scenario (b) can take every score away. (A deployment
  # keeps them: the scorer sums sides server and gateway, deploy/README.md.)
  echo "  - job_name: apiguard-gateway"
  echo "    static_configs:"
  for g in gw1 gw2; do
    echo "      - targets: ['127.0.0.1:${GW_ADMIN[$g]}']"
    echo "        labels: {instance: $g}"
  done
  echo "    metric_relabel_configs:"
  echo "      - source_labels: [__name__]"
  echo "        regex: 'api_http_.*|api_business_errors_total'"
  echo "        action: drop"
} >"$work/prometheus.yml"
start_prometheus() {
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=1h --log.level=warn \
    >>"$work/prometheus.log" 2>&1 &
  started prometheus $!
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 prometheus
}
start_prometheus
PROM=http://127.0.0.1:$PROM_PORT
promql() { curl -sf --max-time 5 "$PROM/api/v1/query" --data-urlencode "query=$1" | jq -r "$2"; }
say "prometheus at $PROM"

# ---------------------------------------------------------------- scorer
"${APIGUARD[@]}" scorer --prometheus "$PROM" --listen "127.0.0.1:$SCORER_PORT" \
  --window "$WINDOW" --interval 1s >"$work/scorer.log" 2>&1 &
started scorer $!
SCORER=http://127.0.0.1:$SCORER_PORT
wait_http "$SCORER/api/v1/scores" 60 scorer
say "scorer at $SCORER (window $WINDOW)"

# ---------------------------------------------------------------- haproxy (round robin) + 2 gateways
HAPROXY_PORT=$(free_port)
cat >"$work/haproxy.cfg" <<EOF
global
  maxconn 1024
defaults
  mode http
  # A server connection per request: each request is balanced on its own. Kept-alive server
  # connections pin a gateway's pooled connections (one route's, often) to one node.
  option http-server-close
  timeout connect 1s
  timeout client 30s
  timeout server 30s
frontend shop
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend nodes
backend nodes
  balance roundrobin
  server node1 10.200.1.2:8080
  server node2 10.200.2.2:8080
  server node3 10.200.3.2:8080
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
started haproxy $!
for g in gw1 gw2; do
  cat >"$work/$g.yaml" <<EOF
gateway:
  backend: http://127.0.0.1:$HAPROXY_PORT
  listen: 127.0.0.1:${GW_PORT[$g]}
  admin-listen: 127.0.0.1:${GW_ADMIN[$g]}
  scores: $SCORER
  service: shop
  score-service: shop
  score-refresh: PT1S
EOF
  "${APIGUARD[@]}" gateway --config "$work/$g.yaml" >"$work/$g.log" 2>&1 &
  started "$g" $!
done
for g in gw1 gw2; do wait_http "http://127.0.0.1:${GW_ADMIN[$g]}/api/v1/breakers" 60 "$g"; done
say "haproxy at 127.0.0.1:$HAPROXY_PORT; gateways gw1 127.0.0.1:${GW_PORT[gw1]}, gw2 127.0.0.1:${GW_PORT[gw2]}"

"$PY" "$work/watch.py" "gw1=http://127.0.0.1:${GW_ADMIN[gw1]}" "gw2=http://127.0.0.1:${GW_ADMIN[gw2]}" \
  >"$work/breakers.log" 2>"$work/watch.log" &
started watch $!
"$PY" "$work/load.py" "$RATE" 600 "http://127.0.0.1:${GW_PORT[gw1]}" "http://127.0.0.1:${GW_PORT[gw2]}" \
  >"$work/load.log" 2>&1 &
started load $!
say "load: $RATE requests/s through both gateways"

# ---------------------------------------------------------------- helpers over the live fleet
scores_json() { curl -sf --max-time 3 "$SCORER/api/v1/scores" || echo '{"scores":[]}'; }
route_score() { scores_json | jq -r --arg p "$1" '[.scores[] | select(.service=="shop" and .path==$p and .stale==false)][0].score // "none"'; }
scored_routes() { scores_json | jq -r '[.scores[] | select(.service=="shop" and .score != null and .stale==false) | .path] | sort | join(",")'; }
# Breakers changing state since epoch T (the watcher's lines), optionally for one route only.
changes_since() { awk -v t="$1" -v r="${2:-}" '$1 >= t && (r == "" || $3 == r)' "$work/breakers.log"; }
opened_since() { changes_since "$1" "${2:-}" | awk '$4 == "open"'; }
instances_with_traffic() { promql "count(count by (instance) (increase(api_http_requests_total{service=\"shop\"}[$WINDOW]) > 0))" '.data.result[0].value[1] // "0"'; }
wait_until() { # wait_until SECONDS COMMAND...: polls every 0.5 s; false on timeout
  local deadline; deadline=$(awk -v a="$(now)" -v s="$1" 'BEGIN { printf "%.1f", a + s }'); shift
  until "$@"; do
    awk -v a="$(now)" -v d="$deadline" 'BEGIN { exit !(a < d) }' || return 1
    sleep 0.5
  done
}
all_three_scored() { [ "$(scored_routes)" = "/api/v1/checkout,/api/v1/search,/api/v1/users/{id}" ]; }
healthy() { local s; s=$(route_score "$INCIDENT_ROUTE"); [ "$s" != none ] && awk -v s="$s" -v t="$TRIP_SCORE" 'BEGIN { exit !(s >= 85) }'; }

say "warming up: waiting for fleet-wide scores of the three routes"
wait_until 90 all_three_scored || { emit "warmup=failed scored=\"$(scored_routes)\""; die "no scores for the three routes within 90 s (see FLEET_KEEP_LOGS=1)"; }
wait_until 30 healthy || die "checkout not healthy before the incident: score $(route_score "$INCIDENT_ROUTE")"
per_route=$(scores_json | jq -r '[.scores[] | select(.service=="shop")] | group_by(.path) | map("\(.[0].path)=\(length)") | join(" ")')
emit "scores_per_route $per_route instances=$(instances_with_traffic)"
check one_score_per_route "$per_route" "$(echo "$per_route" | tr " " "\n" | awk -F= '$2 != 1 { bad = 1 } END { print bad ? "false" : "true" }')"
check three_instances_scraped "instances=$(instances_with_traffic)" "$([ "$(instances_with_traffic)" = 3 ] && echo true || echo false)"

# ---------------------------------------------------------------- (a) incident on one node
scenario_incident() {
  say "(a) incident: node$INCIDENT_NODE answers silent 200s on $INCIDENT_ROUTE"
  local t0 detected="" score s
  t0=$(now)
  curl -sf -X POST --max-time 3 "http://10.200.$INCIDENT_NODE.2:8081/incident/on" >/dev/null || die "cannot reach node$INCIDENT_NODE's control port"
  emit "incident node=node$INCIDENT_NODE route=$INCIDENT_ROUTE at=$t0"
  local deadline=$(( $(date +%s) + OPEN_DEADLINE + 5 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    s=$(route_score "$INCIDENT_ROUTE")
    if [ -z "$detected" ] && [ "$s" != none ] && awk -v s="$s" -v t="$TRIP_SCORE" 'BEGIN { exit !(s < t) }'; then
      detected=$(since "$t0"); score=$s
      say "(a) fleet-wide score of $INCIDENT_ROUTE fell to $s after ${detected}s"
    fi
    if [ -n "$detected" ] && [ "$(opened_since "$t0" "$INCIDENT_ROUTE" | awk '{print $2}' | sort -u | wc -l)" -ge 2 ]; then break; fi
    sleep 0.5
  done
  # The bad share of the route's fleet traffic from the incident to the first breaker open (once
  # open, the gateways answer 503 themselves and the nodes see only probes).
  local first_open span share by_node
  first_open=$(opened_since "$t0" "$INCIDENT_ROUTE" | head -1 | awk '{print $1}')
  first_open=${first_open:-$(now)}
  span=$(awk -v a="$t0" -v b="$first_open" 'BEGIN { s = int(b - a); print (s < 2 ? 2 : s) }')
  sleep 2 # the last scrape before the open reaches Prometheus
  share=$(promql "sum(increase(api_business_errors_total{service=\"shop\",path=\"$INCIDENT_ROUTE\"}[${span}s] @ $first_open)) / sum(increase(api_http_requests_total{service=\"shop\",path=\"$INCIDENT_ROUTE\"}[${span}s] @ $first_open))" '.data.result[0].value[1] // "NaN"')
  by_node=$(promql "sum by (instance) (increase(api_http_requests_total{service=\"shop\",path=\"$INCIDENT_ROUTE\"}[${span}s] @ $first_open))" '[.data.result[] | "\(.metric.instance)=\(.value[1] | tonumber | floor)"] | sort | join(",")')
  emit "detected route=$INCIDENT_ROUTE after_s=${detected:-never} score=${score:-none} score_now=$(route_score "$INCIDENT_ROUTE") bad_share=$(printf '%.2f' "$share") over_s=$span checkouts_by_instance=${by_node:-none}"
  check incident_detected "score of $INCIDENT_ROUTE below $TRIP_SCORE" "$([ -n "$detected" ] && echo true || echo false)"
  check bad_share_about_one_third "bad_share=$share" "$(awk -v s="$share" 'BEGIN { print (s >= 0.15 && s <= 0.5) ? "true" : "false" }')"
  for g in gw1 gw2; do
    local line at reason
    line=$(opened_since "$t0" "$INCIDENT_ROUTE" | awk -v g="$g" '$2 == g' | head -1)
    if [ -n "$line" ]; then
      at=$(awk -v a="$t0" '{ printf "%.1f", $1 - a }' <<<"$line"); reason=$(awk '{print $5}' <<<"$line")
      emit "breaker_open gateway=$g route=$INCIDENT_ROUTE after_s=$at at=$(awk '{print $1}' <<<"$line") reason=$reason"
    else
      at=""; emit "breaker_open gateway=$g route=$INCIDENT_ROUTE after_s=never"
    fi
    check "${g}_opened_within_${OPEN_DEADLINE}s" "$g after_s=${at:-never}" \
      "$([ -n "$at" ] && awk -v a="$at" -v d="$OPEN_DEADLINE" 'BEGIN { exit !(a <= d) }' && echo true || echo false)"
    local others
    others=$(opened_since "$t0" | awk -v g="$g" -v r="$INCIDENT_ROUTE" '$2 == g && $3 != r' | wc -l)
    emit "other_routes_opened gateway=$g count=$others"
    check "${g}_other_routes_closed" "$others other routes opened" "$([ "$others" = 0 ] && echo true || echo false)"
  done
  INCIDENT_T0=$t0
}

# ---------------------------------------------------------------- the Grafana dashboard, live
# Every panel query of deploy/grafana/apiguard.json, its variables filled in as Grafana does
# (DashboardQueries, app's test classes: the one implementation), against this Prometheus, once for
# service=shop path=$INCIDENT_ROUTE and once for All. Every panel must answer with data.
dashboard_check() {
  local cp
  if [ -n "${FLEET_CLASSPATH:-}" ]; then
    cp=$FLEET_CLASSPATH
  elif [ -f "$root/app/target/test-classes/dev/apiguard/app/fleet/DashboardCheck.class" ]; then
    cp="$JAR:$root/app/target/test-classes"   # the jar's manifest brings its libraries
  else
    emit "dashboard service=shop path=$INCIDENT_ROUTE dashboard_panels=unknown"
    check dashboard_every_panel_has_data "app/target/test-classes missing: build with mvn -B -o -pl app -am package -DskipTests" false
    return
  fi
  say "dashboard: every panel query of deploy/grafana/apiguard.json against $PROM"
  local selection line
  for selection in "shop $INCIDENT_ROUTE" "All All"; do
    # shellcheck disable=SC2086 # two words: service, path
    line=$(timeout 60 "$JAVA" "${JAVA_OPTS[@]}" -cp "$cp" dev.apiguard.app.fleet.DashboardCheck "$PROM" $selection \
      "$root/deploy/grafana/apiguard.json" 2>>"$work/dashboard.log" | grep '^dashboard ' || true)
    if [ -z "$line" ]; then
      emit "dashboard service=${selection% *} path=${selection#* } dashboard_panels=unknown"
      check "dashboard_every_panel_has_data_${selection% *}" "no answer from DashboardCheck: $(tail -n 2 "$work/dashboard.log" | tr '\n' ' ')" false
      continue
    fi
    emit "$line"
    local n ok data
    n=$(grep -o 'dashboard_panels=[0-9]*' <<<"$line" | cut -d= -f2)
    ok=$(grep -o 'dashboard_ok=[0-9]*' <<<"$line" | cut -d= -f2)
    data=$(grep -o 'dashboard_data=[0-9]*' <<<"$line" | cut -d= -f2)
    check "dashboard_every_panel_has_data_${selection% *}" "$line" \
      "$([ "$n" -gt 0 ] && [ "$ok" = "$n" ] && [ "$data" = "$n" ] && echo true || echo false)"
  done
  [ ! -s "$work/dashboard.log" ] || sed 's/^/  /' "$work/dashboard.log" >&2
}

recover() {
  say "(a) incident over: waiting for $INCIDENT_ROUTE to heal and both breakers to close"
  curl -sf -X POST --max-time 3 "http://10.200.$INCIDENT_NODE.2:8081/incident/off" >/dev/null || true
  local t0; t0=$(now)
  closed_everywhere() {
    curl -sf --max-time 2 "http://127.0.0.1:${GW_ADMIN[gw1]}/api/v1/breakers" | jq -e '[.breakers[] | select(.state != "closed")] | length == 0' >/dev/null &&
    curl -sf --max-time 2 "http://127.0.0.1:${GW_ADMIN[gw2]}/api/v1/breakers" | jq -e '[.breakers[] | select(.state != "closed")] | length == 0' >/dev/null
  }
  # Closed on both, and a fresh healthy score: a breaker that closed while the route had too few
  # requests to score (its traffic was held back while open) must not re-trip on the incident's tail
  # during the next scenario. Then one score-dwell more, to see it hold.
  healed() { closed_everywhere && healthy; }
  if wait_until 120 healed && sleep 6 && healed; then
    emit "recovered after_s=$(since "$t0")"
  else
    emit "recovered after_s=never score=$(route_score "$INCIDENT_ROUTE")"; failures=$((failures + 1))
  fi
}

# ---------------------------------------------------------------- (c) prometheus restart
scenario_prometheus_restart() {
  say "(c) restarting Prometheus"
  local t0 back=""
  t0=$(now)
  stop_pid prometheus
  sleep 3
  start_prometheus
  emit "prometheus_restarted down_s=$(since "$t0")"
  local deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if all_three_scored; then back=$(since "$t0"); break; fi
    sleep 0.5
  done
  sleep 5
  local flaps; flaps=$(changes_since "$t0" | wc -l)
  emit "prometheus_restart scores_back_after_s=${back:-never} breaker_changes=$flaps"
  [ "$flaps" = 0 ] || emit "breaker_changes_during_restart lines=\"$(changes_since "$t0" | awk '{ printf "%.1f %s %s %s %s; ", $1 - '"$t0"', $2, $3, $4, $5 }')\""
  check scores_back_after_prometheus_restart "scores back" "$([ -n "$back" ] && echo true || echo false)"
  check no_flap_during_prometheus_restart "$flaps breaker state changes" "$([ "$flaps" = 0 ] && echo true || echo false)"
}

# ---------------------------------------------------------------- (b) agents killed
scenario_agents_killed() {
  say "(b) killing node1's agent (pid ${PIDS[agent1]})"
  local t0; t0=$(now)
  stop_pid agent1
  # After one window, node1's samples have left every range: what is scored comes from node2, node3.
  local inst=""
  wait_until 60 sh -c "[ \"\$(curl -sf --max-time 5 '$PROM/api/v1/query' --data-urlencode 'query=count(count by (instance) (increase(api_http_requests_total{service=\"shop\"}[$WINDOW]) > 0))' | jq -r '.data.result[0].value[1]')\" = 2 ]" && inst=2
  sleep 2
  while awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a < 8) }'; do sleep 0.5; done
  # Up over the last 5 s: a scrape that timed out once on a busy machine does not count as down.
  local up opened routes
  up=$(promql 'max_over_time(up{job="apiguard-agents"}[5s])' '[.data.result[] | "\(.metric.instance)=\(.value[1])"] | sort | join(",")')
  routes=$(scored_routes)
  opened=$(opened_since "$t0" | wc -l)
  emit "agent_killed node=node1 up=$up instances_with_traffic=${inst:-$(instances_with_traffic)} scored_routes=$routes breakers_opened=$opened"
  check scores_from_remaining_nodes "instances=${inst:-not 2} routes=$routes" \
    "$([ "$inst" = 2 ] && [ "$routes" = "/api/v1/checkout,/api/v1/search,/api/v1/users/{id}" ] && echo true || echo false)"
  check nothing_trips_without_one_agent "$opened breakers opened" "$([ "$opened" = 0 ] && echo true || echo false)"

  say "(b) killing every agent"
  t0=$(now)
  # Only what the gateways log from now on counts (the Prometheus restart logged stale scores).
  local gw1_from gw2_from
  gw1_from=$(( $(wc -l <"$work/gw1.log") + 1 )); gw2_from=$(( $(wc -l <"$work/gw2.log") + 1 ))
  stop_pid agent2; stop_pid agent3
  # Once the agents' last samples leave the scorer's window, no route has a score: fail open.
  fail_open_logged() {
    tail -n +"$gw1_from" "$work/gw1.log" | grep -q "fail open" && tail -n +"$gw2_from" "$work/gw2.log" | grep -q "fail open"
  }
  local why=""
  wait_until 90 fail_open_logged && why=$(tail -n +"$gw1_from" "$work/gw1.log" | grep "fail open" | tail -1)
  sleep 2
  local open_now=0
  for g in gw1 gw2; do
    open_now=$(( open_now + $(curl -sf --max-time 2 "http://127.0.0.1:${GW_ADMIN[$g]}/api/v1/breakers" | jq '[.breakers[] | select(.state != "closed")] | length') ))
  done
  opened=$(opened_since "$t0" | wc -l)
  emit "all_agents_killed fail_open_after_s=$( [ -n "$why" ] && since "$t0" || echo never) breakers_not_closed=$open_now breakers_opened=$opened scored_routes=$(scored_routes)"
  emit "fail_open_log gw1=\"$(echo "$why" | sed 's/"/'"'"'/g')\""
  check gateways_fail_open_and_log_why "log: ${why:-none}" "$([ -n "$why" ] && [ "$open_now" = 0 ] && [ "$opened" = 0 ] && echo true || echo false)"
}

scenario_incident
dashboard_check
if [ "$mode" = all ]; then
  recover
  scenario_prometheus_restart
  scenario_agents_killed
fi

stop_pid load
stop_pid watch
say "load: $(tail -n 1 "$work/load.log")"
echo >&2
echo "fleet summary ($mode):" >&2
for line in "${results[@]}"; do echo "  $line" >&2; done
if [ "$failures" = 0 ]; then emit "result=pass"; else emit "result=fail failures=$failures"; exit 1; fi
