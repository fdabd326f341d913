#!/bin/bash
# PVLL tuning, third round: on top of the second round's winners (alpha lr 1e-1 and temperature 1.0, each better
# than t3 alone), seeds 1000..1007, 300 queries. Results: benchmarks/nb301/tuning2/<row>/.
set -e
cd "$(dirname "$0")/../.."
B="./proxynas benchmark --oracle nb301 --queries 300 --seeds 1000..1007 --threads ${THREADS:-2}"
run() { local name=$1; shift; [ -f benchmarks/nb301/tuning2/$name/summary.json ] || $B --out benchmarks/nb301/tuning2/$name "$@"; }
run lr3e-1 --methods pvll-lstm --alpha-lr 3e-1
run lr1e-1-temp1 --methods pvll-lstm --alpha-lr 1e-1 --temperature 1.0
run lr3e-1-temp1 --methods pvll-lstm --alpha-lr 3e-1 --temperature 1.0
run lr1e-1-temp1-p10 --methods pvll-lstm --alpha-lr 1e-1 --temperature 1.0 --warmup-samples 10
