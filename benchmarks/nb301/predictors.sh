#!/bin/bash
# The regressors alone (NASLib-style predictor evaluation) on the NAS-Bench-301 surrogate: train on n uniform
# genotypes, Kendall tau and Spearman on 1000 held-out genotypes. Reduced for time: n = 100 and 400, 5 seeds.
set -e
cd "$(dirname "$0")/../.."
./proxynas benchmark --predictors --oracle nb301 --train-sizes 100,400 --predictor-seeds 5 --heldout 1000 --threads 1 \
  --gae-hidden 16 --regressor-warmup 100 --label WARMUP_STANDARDISED --out benchmarks/nb301/predictors
