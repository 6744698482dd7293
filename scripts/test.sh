#!/usr/bin/env bash
# Runs the whole test suite with its real parts (eBPF, nginx, prometheus, chromium).
# Installs what it needs first. Extra arguments go to Maven, e.g. -pl semantics -am (the stages
# that do not depend on capture build and test without clang, bpftool or BTF).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
"$root/scripts/install-deps.sh" --test
cd "$root"
exec mvn -B -ntp install "$@"
