#!/bin/bash
# The full comparison on the NAS-Bench-301 surrogate: 8 methods x 30 seeds (0..29) x 300 queries, PVLL with the
# settings tuned on seeds 1000+ (tune.sh). Rerunning this command resumes: finished (method, seed) units are kept.
set -e
cd "$(dirname "$0")/../.."
OUT=benchmarks/nb301/full-30x300
mkdir -p $OUT
./proxynas benchmark --oracle nb301 --queries 300 --seeds 0..29 --threads 2 \
  --methods random,re,ls,pvll-lstm,pvll-lstm-oiw,ea-pvll,pvll-gae,pvll-gae-oiw \
  --regressor-warmup 100 --regressor-epochs 2 --alpha-lr 3e-2 --warmup-samples 20 --label WARMUP_STANDARDISED --gae-hidden 16 \
  --out $OUT 2>&1 | grep --line-buffered -v "^WARNING" | tee -a $OUT/log.txt
