#!/bin/bash
# The ridge proxy in PVLL's other forms, with full-ridge.sh's setting (--store DERIVED, the benchmark's defaults
# otherwise; not tuned for these forms): with OIW (pvll-ridge-oiw) and the evolutionary form (ea-pvll-ridge).
# First a look at the tuning seeds 1000..1007 (tuning-ridge/forms/), then the report seeds 0..29
# (full-30x300-ridge-forms/), 300 queries each, one thread.
set -e
cd "$(dirname "$0")/../.."
common="--oracle nb301 --queries 300 --threads ${THREADS:-1} --methods pvll-ridge-oiw,ea-pvll-ridge --store DERIVED"
run() {
  local out=$1; shift
  [ -f $out/summary.json ] && return
  # The benchmark refuses a non-empty folder without a benchmark in it, so the log is kept aside until it has started.
  local log=$(mktemp)
  ./proxynas benchmark $common --out $out "$@" 2>&1 | tee "$log"
  cat "$log" >> $out/log.txt && rm -f "$log"
}
run benchmarks/nb301/tuning-ridge/forms --seeds 1000..1007
run benchmarks/nb301/full-30x300-ridge-forms --seeds 0..29
