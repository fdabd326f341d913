#!/usr/bin/env bash
# Reads `nvcc -Xptxas -v` output (a file, or stdin) and fails when any kernel spills registers or keeps a stack
# frame in local memory (docs/architecture.md#backends). Prints one line per offending kernel and architecture.
# Exit 0: clean; 1: spills or stack frames; 2: no kernel found in the log (the log is not what we think it is).
set -euo pipefail
awk '
  /Compiling entry function/ {
    kernel = $0; sub(/.*entry function \047/, "", kernel); sub(/\047.*/, "", kernel)
    arch = $0; sub(/.*for \047/, "", arch); sub(/\047.*/, "", arch)
    next
  }
  /Function properties for/ {
    fn = $0; sub(/.*Function properties for /, "", fn); sub(/[ \t\r]+$/, "", fn)
    if (fn != kernel) arch = "?"
    pending = fn
    next
  }
  pending != "" && /bytes stack frame/ {
    seen++
    stack = $1; stores = $5; loads = $9
    if (stack + 0 > 0 || stores + 0 > 0 || loads + 0 > 0) {
      printf "ptxas gate: %s (%s): %d bytes stack frame, %d bytes spill stores, %d bytes spill loads\n", pending, arch, stack, stores, loads
      bad++
    }
    pending = ""
  }
  END {
    if (seen == 0) { print "ptxas gate: no kernel resource usage found in the log"; exit 2 }
    if (bad > 0) { printf "ptxas gate: FAILED, %d kernel build(s) spill or use a stack frame\n", bad; exit 1 }
    printf "ptxas gate: %d kernel build(s), no spills, no stack frames\n", seen
  }
' "${1:-/dev/stdin}"
