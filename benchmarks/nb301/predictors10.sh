#!/bin/bash
# The regressors alone (NASLib-style predictor evaluation) on the NAS-Bench-301 surrogate, the full grid of issue 10:
# train on n = 25, 50, 100, 200, 400 uniform genotypes, Kendall tau and Spearman on 1,000 held-out genotypes,
# 10 seeds; PVLL's first-fit rule (Kendall stop 0.95 on the training set, at most 100 epochs), GAE at width 16.
set -e
cd "$(dirname "$0")/../.."
./proxynas benchmark --predictors --oracle nb301 --train-sizes 25,50,100,200,400 --predictor-seeds 10 --heldout 1000 \
  --threads 1 --gae-hidden 16 --regressor-warmup 100 --label WARMUP_STANDARDISED --out benchmarks/nb301/predictors10
