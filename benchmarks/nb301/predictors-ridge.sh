#!/bin/bash
# The ridge proxy alone on NAS-Bench-301 (benchmarks/RESULTS.md, "Predictors alone"): the same protocol, seeds and
# held-out set as predictors10.sh (uniform genotypes, one-hot of the derived cell, standardised label, 1,000 held out,
# seeds 0..9), one thread. Output: benchmarks/nb301/predictors-ridge/predictors.json and log.txt.
set -e
cd "$(dirname "$0")/../.."
mkdir -p benchmarks/nb301/predictors-ridge
./proxynas benchmark --predictors --regressors ridge --predictor-seeds 10 --threads 1 --out benchmarks/nb301/predictors-ridge \
  2> benchmarks/nb301/predictors-ridge/log.txt
