#!/bin/bash
# The comparison of issue 10 with the second tuning round's PVLL setting (the benchmark's defaults: alpha lr 3e-1,
# temperature 0.1, P = 20, standardised label): every method, seeds 0..29 (the report seeds; tuning used 1000+),
# 300 queries, 2 threads, into benchmarks/nb301/full-30x300-v2/ (resumable: rerun to continue).
set -e
cd "$(dirname "$0")/../.."
# The benchmark refuses a non-empty folder without a benchmark in it, so the log is kept aside until it has started.
log=$(mktemp)
./proxynas benchmark --oracle nb301 --queries 300 --seeds 0..29 --threads 2 --out benchmarks/nb301/full-30x300-v2 \ \
  2>&1 | tee "$log"
cat "$log" >> benchmarks/nb301/full-30x300-v2/log.txt && rm -f "$log"
