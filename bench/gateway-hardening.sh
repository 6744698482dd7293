#!/usr/bin/env bash
# What the gateway's security hardening costs: the gateway of this checkout and the gateway of a
# baseline commit (default 4876cea, the last build before the hardening), side by side in one run,
# in front of the same backend (nginx serving a ~1 KiB static JSON, one worker). Alternating rounds
# of wrk keep-alive at max throughput; prints each round, the medians, the ratio of medians and the
# median of the per-round ratios (paired: both halves of a round run seconds apart).
#   bench/gateway-hardening.sh [ROUNDS=5] [SECONDS=10] [CONNECTIONS=16]
# Environment: BASE (git ref of the baseline, default 4876cea), WARMUP seconds per gateway (default 15).
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}; SECS=${2:-10}; CONNS=${3:-16}; WARMUP=${WARMUP:-15}; BASE=${BASE:-4876cea}
for n in "$ROUNDS" "$SECS" "$CONNS" "$WARMUP"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "usage: bench/gateway-hardening.sh [ROUNDS] [SECONDS] [CONNECTIONS] (positive integers)" >&2; exit 2; }
done
"$ROOT/scripts/install-deps.sh" --test

# Both jars are built here, from their own trees, without touching ~/.m2 (mvn package).
echo "gateway-hardening: building this checkout and $BASE ..." >&2
(cd "$ROOT" && mvn -B -q -o package -DskipTests) > "$BENCH_TMP/build-new.log" 2>&1 || { tail -20 "$BENCH_TMP/build-new.log" >&2; exit 1; }
git -C "$ROOT" worktree add -q --detach "$BENCH_TMP/base" "$BASE"
trap 'git -C "$ROOT" worktree remove --force "$BENCH_TMP/base" 2>/dev/null || true; cleanup' EXIT
(cd "$BENCH_TMP/base" && mvn -B -q -o package -DskipTests) > "$BENCH_TMP/build-base.log" 2>&1 || { tail -20 "$BENCH_TMP/build-base.log" >&2; exit 1; }
declare -A jar=([new]="$ROOT/app/target/apiguard.jar" [base]="$BENCH_TMP/base/app/target/apiguard.jar")

mkdir -p "$BENCH_TMP/www"
python3 -c 'import json; print(json.dumps({"ok": True, "items": [{"id": i, "name": "item-%d" % i, "price": 10 + i, "tags": ["autumn", "sale"]} for i in range(14)]}))' > "$BENCH_TMP/www/item.json"
backend=$(free_port)
start_nginx "$backend" "$BENCH_TMP/www" > /dev/null

declare -A url pid
for g in base new; do
  p=$(free_port); admin=$(free_port)
  # The token comes from the environment: the benchmark writes no token file.
  APIGUARD_ADMIN_TOKEN=bench-token-not-for-production-use "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -XX:+UseSerialGC -Xms64m -Xmx1g -jar "${jar[$g]}" gateway --backend "http://127.0.0.1:$backend" \
    --listen "127.0.0.1:$p" --admin-listen "127.0.0.1:$admin" > "$BENCH_TMP/gateway-$g.log" 2>&1 &
  pid[$g]=$!; BENCH_PIDS+=($!)
  wait_port "$p" || { cat "$BENCH_TMP/gateway-$g.log" >&2; exit 1; }
  url[$g]="http://127.0.0.1:$p/item.json"
  curl -sf -o /dev/null "${url[$g]}" || { echo "bench: the $g gateway does not answer" >&2; exit 1; }
done

echo "gateway-hardening: $ROUNDS rounds x {base=$BASE, new=$(git -C "$ROOT" rev-parse --short HEAD)}; wrk -t1 -c$CONNS -d${SECS}s keep-alive"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(uname -r)"
for g in base new; do wrk -t1 -c"$CONNS" -d"${WARMUP}s" "${url[$g]}" > /dev/null 2>&1; done

rows="$BENCH_TMP/rows.tsv"; : > "$rows"
for r in $(seq 1 "$ROUNDS"); do
  order=(base new); [ $((r % 2)) -eq 0 ] && order=(new base)   # alternate who goes first
  declare -A got=()
  for g in "${order[@]}"; do
    c0=$(cpu_ticks "${pid[$g]}")
    got[$g]=$(wrk_rps "${url[$g]}" "$SECS" "$CONNS"); reqs=$(wrk_requests)
    c1=$(cpu_ticks "${pid[$g]}")
    grep -q 'Non-2xx\|Socket errors' "$BENCH_TMP/wrk.out" && echo "bench: $g round $r: $(grep 'Non-2xx\|Socket errors' "$BENCH_TMP/wrk.out")" >&2
    cpu=$(awk -v t=$((c1 - c0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    printf '%s\t%s\t%s\t%s\t%s\n' "$g" "$r" "${got[$g]}" "$cpu" "$(rss_kib "${pid[$g]}")" >> "$rows"
    printf '%-4s round %s: %9s rps  gateway cpu %6s us/req  rss %s KiB\n' "$g" "$r" "${got[$g]}" "$cpu" "$(rss_kib "${pid[$g]}")"
    sleep 0.5
  done
  printf 'paired\t%s\t%s\n' "$r" "$(awk -v a="${got[new]}" -v b="${got[base]}" 'BEGIN {printf "%.3f", a / b}')" >> "$rows"
done

med() { awk -v g="$1" -v c="$2" -F'\t' '$1 == g {print $c}' "$rows" | median; }
base_rps=$(med base 3); new_rps=$(med new 3)
echo
echo "medians over $ROUNDS rounds"
printf '| gateway | max rps | CPU us/req | RSS KiB |\n|---|---|---|---|\n'
for g in base new; do printf '| %s | %s | %s | %s |\n' "$g" "$(med "$g" 3)" "$(med "$g" 4)" "$(med "$g" 5)"; done
echo "throughput new/base: $(awk -v a="$new_rps" -v b="$base_rps" 'BEGIN {printf "%.3f", a / b}') (ratio of medians), $(med paired 3) (median of per-round ratios)"
