#!/bin/bash
# PVLL with the ridge proxy (pvll-ridge): one tuning round on seeds 1000..1007 (never the report seeds 0..29), 300
# queries. Row "base" is the benchmark's defaults (alpha lr 3e-1, temperature 0.1, P = 20, memory 100, memory of Ã);
# every other row changes one of them. Rule for the comparison, fixed before this round ran (as in the second round):
# the row with the highest mean at 100 queries among those better than random search at 300 with paired p < 0.05.
# Results: benchmarks/nb301/tuning-ridge/<row>/; table: compare_rows.py tuning2/base-rs tuning-ridge/<rows>.
set -e
cd "$(dirname "$0")/../.."
B="./proxynas benchmark --oracle nb301 --queries 300 --seeds 1000..1007 --threads ${THREADS:-1} --methods pvll-ridge"
run() { local name=$1; shift; [ -f benchmarks/nb301/tuning-ridge/$name/summary.json ] || $B --out benchmarks/nb301/tuning-ridge/$name "$@"; }
run base
run derived --store DERIVED
run lr1e-1 --alpha-lr 1e-1
run lr3e-2 --alpha-lr 3e-2
run lr1 --alpha-lr 1
run temp0.5 --temperature 0.5
run temp1 --temperature 1.0
run mem50 --memory 50
run mem200 --memory 200
run p10 --warmup-samples 10
run p40 --warmup-samples 40
