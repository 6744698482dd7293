#!/usr/bin/env bash
# Installs what apiguard needs from Debian's packages, once. Idempotent and quiet when all is there.
#   scripts/install-deps.sh          what building and running needs
#   scripts/install-deps.sh --test   plus what the test suite and benchmarks drive (nginx, prometheus, chromium …)
#
# It never stops, starts or restarts anything on this machine: no kill of any process, and packages
# are installed with services held back (see hold_services below). Its apt log is the user's:
#   ${XDG_STATE_HOME:-$HOME/.local/state}/apiguard/apt.log
# For tests only: APIGUARD_DEPS_EXTRA="what:package ..." adds entries to the list below (a `what`
# that does not exist makes its package count as missing, so the install path runs).
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
         chromium:chromium chromedriver:chromium-driver haproxy:haproxy
         # HTTP/2, gRPC and TLS peers (issues 15 and 16); Debian's own python3 runs grpcio
         nghttp:nghttp2-client nghttpd:nghttp2-server h2load:nghttp2-client
         /usr/lib/python3/dist-packages/grpc:python3-grpcio gnutls-cli:gnutls-bin go:golang-go
         openssl:openssl objdump:binutils ip:iproute2)
fi
if [ -n "${APIGUARD_DEPS_EXTRA:-}" ]; then
  read -r -a extra <<<"$APIGUARD_DEPS_EXTRA"
  need+=("${extra[@]}")
fi

missing=()
for entry in "${need[@]}"; do
  what=${entry%%:*}; pkg=${entry#*:}
  if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
  [ -x "/usr/sbin/$what" ] && continue
  [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "apiguard: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 2
fi

# The log and the lock live in the user's state directory (root's, here), never at a fixed path in
# a world-writable directory such as /tmp.
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
state=${XDG_STATE_HOME:-$home/.local/state}/apiguard
mkdir -p "$state"
chmod 700 "$state"
log=$state/apt.log

# One install at a time: a second run waits, then finds its packages installed or holds services itself.
exec 9>"$state/install.lock"
flock -w 600 9 || { echo "apiguard: another install-deps.sh holds $state/install.lock for 10 minutes; try again" >&2; exit 2; }

# hold_services: Debian's maintainer scripts start (and restart) a package's services through
# invoke-rc.d, and deb-systemd-invoke for systemd units; both ask /usr/sbin/policy-rc.d first and
# do nothing when it answers 101 ("action forbidden"). So while apt-get runs here, a policy-rc.d
# that answers 101 is in place: new services (nginx on :80, prometheus on :9090 …) are not
# started, and services already running are neither restarted nor stopped. Units are still
# enabled as Debian intends (they start at the next boot); the tests start their own instances on
# free ports. An existing policy-rc.d belongs to the administrator: it is left as it is and
# decides (in containers it usually answers 101 already). Ours is removed by the EXIT trap, and
# only when it is still ours.
# (RUNLEVEL=1 would also keep invoke-rc.d from starting services, but deb-systemd-invoke ignores
# it; policy-rc.d is the one switch both honour.)
policy=/usr/sbin/policy-rc.d
policy_marker="# apiguard install-deps.sh: held services for one apt-get run"
ours=
release_policy() {
  if [ -n "$ours" ] && [ -f "$policy" ] && grep -qxF "$policy_marker" "$policy"; then
    rm -f "$policy"
  fi
}
trap release_policy EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ ! -e "$policy" ] && [ ! -L "$policy" ]; then
  # noclobber: never overwrite one that appeared in the meantime
  if (set -C; printf '#!/bin/sh\n%s\nexit 101\n' "$policy_marker" >"$policy") 2>/dev/null; then
    ours=1
    chmod 755 "$policy"
  fi
fi
if [ -z "$ours" ]; then
  answer=0; "$policy" apiguard-probe start >/dev/null 2>&1 || answer=$?
  [ "$answer" = 101 ] || echo "apiguard: $policy exists and is left as it is; it allows services to start (exit $answer)" >&2
fi

echo "apiguard: installing ${missing[*]} (apt-get, services held back; log in $log) ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -y -qq -o DPkg::Lock::Timeout=300 "$@"; }
{
  echo "== $(date -u +%FT%TZ) apt-get install ${missing[*]} (policy-rc.d: $([ -n "$ours" ] && echo "ours, answers 101" || echo "the administrator's"))"
  # Without a fresh package list first: the lists on the machine usually suffice, and then nothing
  # is fetched; when they do not, update and try once more.
  apt_get install --no-install-recommends "${missing[@]}" ||
    { apt_get update && apt_get install --no-install-recommends "${missing[@]}"; }
} >>"$log" 2>&1 || {
  echo "apiguard: apt-get install failed; see $log" >&2; tail -5 "$log" >&2; exit 2; }
