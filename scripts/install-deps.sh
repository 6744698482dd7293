#!/usr/bin/env bash
# Installs what apiguard needs from Debian's packages, once. Idempotent and quiet when all is there.
#   scripts/install-deps.sh          what building and running needs
#   scripts/install-deps.sh --test   plus what the test suite and benchmarks drive (nginx, prometheus, chromium …)
set -euo pipefail

JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$JDK/bin/java" ]; then
  echo "apiguard: no Java 25 at $JDK; install a JDK 25 there or set JAVA_HOME" >&2
  exit 2
fi

# command-or-file:package
need=(mvn:maven clang:clang llvm-strip:llvm /usr/include/bpf/libbpf.h:libbpf-dev
      /usr/lib/x86_64-linux-gnu/libbpf.so.1:libbpf1 bpftool:bpftool curl:curl python3:python3)
if [ "${1:-}" = "--test" ]; then
  need+=(/usr/sbin/nginx:nginx-light wrk:wrk prometheus:prometheus prometheus-pushgateway:prometheus-pushgateway
         chromium:chromium chromedriver:chromium-driver haproxy:haproxy)
fi

missing=()
for entry in "${need[@]}"; do
  what=${entry%%:*}; pkg=${entry#*:}
  if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
  [ -x "/usr/sbin/$what" ] && continue
  missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "apiguard: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 2
fi
echo "apiguard: installing ${missing[*]} (apt-get) ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/apiguard-apt.log 2>&1 || {
  echo "apiguard: apt-get install failed; see /tmp/apiguard-apt.log" >&2; tail -5 /tmp/apiguard-apt.log >&2; exit 2; }
# Debian starts services after install when it can; the tests start their own instances on free ports.
for svc in nginx prometheus prometheus-pushgateway prometheus-node-exporter haproxy; do
  pkill -x "$svc" 2>/dev/null || true
done
