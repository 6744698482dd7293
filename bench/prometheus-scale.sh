#!/usr/bin/env bash
# Prometheus at fleet scale: one Debian Prometheus scrapes NODES synthetic agents
# (bench/synthetic-agent.py: the agent's exposition format), each serving the same ENDPOINTS
# endpoints (10 services x ENDPOINTS/10 routes; every node sees every endpoint, the worst case for
# the per-endpoint sums), with deploy/prometheus's rules and alerts loaded. For each size it waits
# until 5 minutes of data exist (scrape interval 15 s), then reports:
#   series in the head, samples per scrape, scrape_duration_seconds (max over the nodes),
#   Prometheus' RSS, each recording-rule group's evaluation time, and the time of the scorer's four
#   instant queries (raw PromQL, and the recording rules that hold the same values), REPEAT times each,
#   median and max, measured with curl.
#   bench/prometheus-scale.sh [ENDPOINTS="1000 10000"] [NODES=2] [REPEAT=5]
# Bounded: each size waits DATA_SECONDS, then at most 4 x 2 x REPEAT queries of at most 150 s each; every process started here is stopped by its PID.
source "$(dirname "$0")/lib.sh"
SIZES=${1:-"1000 10000"}; NODES=${2:-2}; REPEAT=${3:-5}
SCRAPE=15; DATA_SECONDS=${DATA_SECONDS:-315}
command -v prometheus >/dev/null || { echo "prometheus not on PATH (apt-get install prometheus)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(prometheus --version 2>&1 | head -1)"

q() { # PROMQL -> seconds (curl's total time of one instant query), or "failed" (timeout, error answer)
  local out
  out=$(curl -s -o "$BENCH_TMP/q.json" -w '%{time_total}' --max-time 150 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
    --data-urlencode "query=$1") || { echo failed; return 0; }
  grep -q '"status":"success"' "$BENCH_TMP/q.json" || { echo "query failed: $1: $(head -c 300 "$BENCH_TMP/q.json")" >&2; echo failed; return 0; }
  echo "$out"
}
scalar() { # PROMQL -> first value
  curl -s --max-time 30 "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
result_size() {
  curl -s --max-time 60 "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]["result"]))'
}

SIDES='side=~"server|gateway"'
RAW=(
  "sum by (service, path) (increase(api_http_requests_total{$SIDES}[300s]))"
  "sum by (service, path) (increase(api_http_requests_total{$SIDES,status_class=\"5xx\"}[300s]))"
  "sum by (service, path, severity) (increase(api_business_errors_total{$SIDES}[300s]))"
  "histogram_quantile(0.99, sum by (le, service, path) (rate(api_http_duration_seconds_bucket{$SIDES}[300s])))"
)
RECORDED=(apiguard:scorer_requests:increase5m apiguard:scorer_server_errors:increase5m
  apiguard:scorer_business_errors:increase5m apiguard:http_duration_seconds:p99_5m)

for endpoints in $SIZES; do
  routes=$(( endpoints / 10 ))
  dir="$BENCH_TMP/e$endpoints"; mkdir -p "$dir"
  targets=(); exporters=()
  for n in $(seq 1 "$NODES"); do
    port=$(free_port)
    python3 "$ROOT/bench/synthetic-agent.py" "$port" 10 "$routes" & exporters+=($!); BENCH_PIDS+=($!)
    targets+=("'127.0.0.1:$port'")
    wait_port "$port"
  done
  PROM_PORT=$(free_port)
  cp "$ROOT/deploy/prometheus/apiguard-rules.yml" "$ROOT/deploy/prometheus/apiguard-alerts.yml" "$dir/"
  cat > "$dir/prometheus.yml" <<YML
global: {scrape_interval: ${SCRAPE}s, evaluation_interval: ${SCRAPE}s, scrape_timeout: 10s}
rule_files: [apiguard-rules.yml, apiguard-alerts.yml]
scrape_configs:
  - job_name: apiguard-agent
    static_configs: [{targets: [$(IFS=,; echo "${targets[*]}")]}]
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:$PROM_PORT']}]
YML
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn > "$dir/prometheus.log" 2>&1 &
  PROM_PID=$!; BENCH_PIDS+=($PROM_PID)
  wait_port "$PROM_PORT"
  start=$(date +%s)
  echo
  echo "== $endpoints endpoints x $NODES nodes: waiting ${DATA_SECONDS}s for 5 minutes of data (load $(cut -d' ' -f1-3 /proc/loadavg))"
  sleep "$DATA_SECONDS"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "head series:              $(scalar 'prometheus_tsdb_head_series')"
  echo "samples per node scrape:  $(scalar 'max(scrape_samples_scraped{job="apiguard-agent"})')"
  echo "scrape duration (s):      max over nodes now $(scalar 'max(scrape_duration_seconds{job="apiguard-agent"})'), max over 5m $(scalar 'max(max_over_time(scrape_duration_seconds{job="apiguard-agent"}[5m]))')"
  echo "Prometheus RSS (MiB):     $(( $(rss_kib "$PROM_PID") / 1024 ))"
  echo "exporter RSS (MiB, one):  $(( $(rss_kib "${exporters[0]}") / 1024 ))"
  # The synthetic exporter's own share of the scrape duration: one scrape by curl, same body.
  echo "one node's /metrics:      $(curl -s -o /dev/null -w '%{size_download} bytes in %{time_total} s (curl, the exporter alone)' "http://${targets[0]//\'/}/metrics")"
  echo "endpoints answered:       $(result_size "${RECORDED[0]}")"
  echo "rule groups missing an evaluation (last run longer than the interval): $(scalar 'sum(prometheus_rule_group_iterations_missed_total)')"
  for i in 0 1 2 3; do
    for kind in raw recorded; do
      if [ $kind = raw ]; then expr=${RAW[$i]}; else expr=${RECORDED[$i]}; fi
      times=()
      for _ in $(seq 1 "$REPEAT"); do
        t=$(q "$expr"); times+=("$t")
        [ "$t" = failed ] && break   # a query past Prometheus' or curl's timeout is not tried again
      done
      if printf '%s\n' "${times[@]}" | grep -q failed; then
        printf 'query %d %-8s FAILED (timeout or error; %s)  %s\n' "$((i + 1))" "$kind" "${times[*]}" "${expr:0:90}"
        continue
      fi
      med=$(printf '%s\n' "${times[@]}" | median)
      max=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
      printf 'query %d %-8s median %.3f s  max %.3f s  %s\n' "$((i + 1))" "$kind" "$med" "$max" "${expr:0:90}"
    done
  done
  echo "per-rule evaluation time (s), last evaluation:"
  curl -s --max-time 30 "http://127.0.0.1:$PROM_PORT/api/v1/rules" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["data"]["groups"]:
    print("  group %-22s %8.3f" % (g["name"], g["evaluationTime"]))
    for r in g["rules"]:
        if r["evaluationTime"] >= 0.05:
            print("    %-48s %8.3f" % (r["name"], r["evaluationTime"]))'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed for this size: $(( $(date +%s) - start )) s"
  # A Prometheus busy with a long rule evaluation can take minutes to stop: 30 s, then SIGKILL.
  kill "$PROM_PID"
  for _ in $(seq 1 60); do kill -0 "$PROM_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$PROM_PID" 2>/dev/null || true; wait "$PROM_PID" 2>/dev/null || true
  for p in "${exporters[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
  rm -rf "$dir/data"
done
