#!/usr/bin/env bash
# Compiles the BPF programs with Debian's clang (called by Maven in generate-resources).
# usage: build.sh OUTPUT_DIR WORK_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=$1; work=$2
mkdir -p "$out" "$work"
if [ ! -s "$work/vmlinux.h" ]; then
  if [ ! -r /sys/kernel/btf/vmlinux ]; then
    echo "BPF build: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF)" >&2; exit 1
  fi
  command -v bpftool >/dev/null || { echo "BPF build: bpftool missing (apt-get install bpftool)" >&2; exit 1; }
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h.tmp"
  mv "$work/vmlinux.h.tmp" "$work/vmlinux.h"
fi
command -v clang >/dev/null || { echo "BPF build: clang missing (apt-get install clang llvm)" >&2; exit 1; }
clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$work" -I"$src" \
  -c "$src/apiguard.bpf.c" -o "$work/apiguard.bpf.o"
# Drop DWARF (keeps BTF) so the object in the jar stays small.
llvm-strip -g "$work/apiguard.bpf.o" -o "$out/apiguard.bpf.o" 2>/dev/null || cp "$work/apiguard.bpf.o" "$out/apiguard.bpf.o"
