#!/bin/bash
# PVLL with the ridge proxy on the report seeds 0..29, 300 queries, with the second tuning round's choice
# (tune-ridge2.sh: temperature 1.0 on top of --store DERIVED; the other settings are the benchmark's defaults).
# Random search, regularized evolution and local search are in full-30x300-ridge/ (same seeds, same numbers).
# Output: benchmarks/nb301/full-30x300-ridge-t1/ (resumable: rerun to continue).
set -e
cd "$(dirname "$0")/../.."
# The benchmark refuses a non-empty folder without a benchmark in it, so the log is kept aside until it has started.
log=$(mktemp)
./proxynas benchmark --oracle nb301 --queries 300 --seeds 0..29 --threads ${THREADS:-1} --methods pvll-ridge --store DERIVED --temperature 1.0 \
  --out benchmarks/nb301/full-30x300-ridge-t1 \
  2>&1 | tee "$log"
cat "$log" >> benchmarks/nb301/full-30x300-ridge-t1/log.txt && rm -f "$log"
