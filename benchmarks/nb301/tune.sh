#!/bin/bash
# PVLL tuning on the NAS-Bench-301 surrogate: seeds 1000..1003 (never the report seeds 0..29), 300 queries,
# one change per run on top of the previous one. Results: benchmarks/nb301/tuning/<name>/ (summary.json, report.html).
# Every run caps the regressor at 100 epochs for the first fit and 2 (warm-started) per later fit: the time budget.
set -e
cd "$(dirname "$0")/../.."
B="./proxynas benchmark --oracle nb301 --queries 300 --seeds 1000..1003 --threads 2 --regressor-warmup 100 --regressor-epochs 2"
$B --out benchmarks/nb301/tuning/base-rs --methods random,re,ls
$B --out benchmarks/nb301/tuning/t0-paper --methods pvll-lstm
$B --out benchmarks/nb301/tuning/t1-lr3e-2 --methods pvll-lstm --alpha-lr 3e-2
$B --out benchmarks/nb301/tuning/t2-p20 --methods pvll-lstm --alpha-lr 3e-2 --warmup-samples 20
$B --out benchmarks/nb301/tuning/t3-zlabel --methods pvll-lstm --alpha-lr 3e-2 --warmup-samples 20 --label WARMUP_STANDARDISED
$B --out benchmarks/nb301/tuning/t4-derived --methods pvll-lstm --alpha-lr 3e-2 --warmup-samples 20 --label WARMUP_STANDARDISED --store DERIVED
