#!/bin/bash
# PVLL with the ridge proxy against the baselines on the report seeds 0..29 (tuning used 1000..1007,
# tune-ridge.sh), 300 queries, with the setting the tuning rule chose: the memory stores the derived genotype's
# one-hot (--store DERIVED; the other PVLL settings are the benchmark's defaults). Random search, regularized
# evolution and local search ignore the PVLL settings and reproduce full-30x300-v2 exactly (same seeds).
# Output: benchmarks/nb301/full-30x300-ridge/ (resumable: rerun to continue).
set -e
cd "$(dirname "$0")/../.."
# The benchmark refuses a non-empty folder without a benchmark in it, so the log is kept aside until it has started.
log=$(mktemp)
./proxynas benchmark --oracle nb301 --queries 300 --seeds 0..29 --threads ${THREADS:-1} --methods random,re,ls,pvll-ridge --store DERIVED \
  --out benchmarks/nb301/full-30x300-ridge \
  2>&1 | tee "$log"
cat "$log" >> benchmarks/nb301/full-30x300-ridge/log.txt && rm -f "$log"
