#!/bin/bash
# PVLL tuning, second round (issue 10 item 5): seeds 1000..1007 (never the report seeds 0..29), 300 queries.
# Each row changes one setting of the first round's adopted configuration (t3: alpha lr 3e-2, P = 20, standardised
# label, 2 warm-started regressor epochs per fit); the winners are then combined in one more row.
# Results: benchmarks/nb301/tuning2/<row>/ (summary.json, report.html, results.jsonl.gz, timing.json).
set -e
cd "$(dirname "$0")/../.."
B="./proxynas benchmark --oracle nb301 --queries 300 --seeds 1000..1007 --threads ${THREADS:-2}"
run() { local name=$1; shift; [ -f benchmarks/nb301/tuning2/$name/summary.json ] || $B --out benchmarks/nb301/tuning2/$name "$@"; }
run base-rs --methods random,re,ls
run t3 --methods pvll-lstm
run ep10 --methods pvll-lstm --regressor-epochs 10
run lr1e-1 --methods pvll-lstm --alpha-lr 1e-1
run temp1 --methods pvll-lstm --temperature 1.0
run temp0.5 --methods pvll-lstm --temperature 0.5
run mem50 --methods pvll-lstm --memory 50
run mem200 --methods pvll-lstm --memory 200
