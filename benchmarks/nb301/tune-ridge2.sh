#!/bin/bash
# pvll-ridge, second tuning round on seeds 1000..1007 (never the report seeds 0..29), 300 queries: one change per row
# on top of the first round's choice (--store DERIVED; tuning-ridge/derived is this round's base). Rule, fixed before
# this round ran: among the base and the rows better than random search at 300 queries with paired p < 0.05, the one
# with the highest mean at 100 queries; the base stays unless a row beats it there.
# Results: benchmarks/nb301/tuning-ridge2/<row>/; table: compare_rows.py tuning2/base-rs tuning-ridge/derived tuning-ridge2/<rows>.
set -e
cd "$(dirname "$0")/../.."
B="./proxynas benchmark --oracle nb301 --queries 300 --seeds 1000..1007 --threads ${THREADS:-1} --methods pvll-ridge --store DERIVED"
run() { local name=$1; shift; [ -f benchmarks/nb301/tuning-ridge2/$name/summary.json ] || $B --out benchmarks/nb301/tuning-ridge2/$name "$@"; }
run temp0.5 --temperature 0.5
run temp1 --temperature 1.0
run lr1e-1 --alpha-lr 1e-1
run lr1 --alpha-lr 1
run mem50 --memory 50
run mem200 --memory 200
run p10 --warmup-samples 10
run p40 --warmup-samples 40
