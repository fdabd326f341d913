#!/usr/bin/env python3
"""Can anything learn the search's labels? Ridge regressions on the sampled paths of finished search runs.

    python3 benchmarks/experiments/label_learnability.py benchmarks/results/fashion-mnist/search/pvll-*-s1

For each run, the (path, label) pairs of its search iterations (metrics.jsonl, phase "search": ops_normal,
ops_reduce, val_loss; for a random-search run the genotypes it scored at its final weights, with no training per
genotype and no drift between labels) are refitted by ridge regression on two encodings: op counts per cell (16 features) and one-hot
op per edge (224). Kendall tau between label and prediction, (a) leave-one-out and (b) sequential (each label predicted
from the labels before it, from the 10th on: what the search's own regressor faces), beside the run's regressor
(predicted-before-refit). If even these cannot rank the labels, the regressor is not what fails: the labels carry too
little learnable path signal at this sample count. Needs numpy (Debian python3-numpy).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from judge_familiarity import genotype_choices  # noqa: E402
from summarize import kendall  # noqa: E402

OPS = 8
EDGES = 14


def choices(r):
    """[(cell, edge, op)] of a search record: its sampled path (PVLL), or the genotype it scored (random search)."""
    if "ops_normal" in r:
        return [(cell, e, o) for cell, key in enumerate(("ops_normal", "ops_reduce")) for e, o in enumerate(r[key])]
    if "candidate" in r and "genotype" in r:
        return genotype_choices(r["genotype"])
    return None


def samples(run):
    counts, onehot, labels, predicted = [], [], [], []
    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            picked = choices(r) if r.get("phase") == "search" else None
            if picked is None:
                continue
            c, h = np.zeros(2 * OPS), np.zeros(2 * EDGES * OPS)
            for cell, e, o in picked:
                c[cell * OPS + o] += 1
                h[(cell * EDGES + e) * OPS + o] = 1
            counts.append(c)
            onehot.append(h)
            labels.append(r["val_loss"])
            predicted.append(r.get("predicted"))
    return np.array(counts), np.array(onehot), np.array(labels), predicted


def fit(x, y, lam):
    a = np.c_[x, np.ones(len(x))]
    return np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ y)


def predict(w, x):
    return float(np.r_[x, 1.0] @ w)


def leave_one_out(x, y, lam):
    keep = np.ones(len(y), bool)
    out = []
    for i in range(len(y)):
        keep[:] = True
        keep[i] = False
        out.append(predict(fit(x[keep], y[keep], lam), x[i]))
    return kendall([float(v) for v in y], out)


def sequential(x, y, lam, start=10):
    out = [predict(fit(x[:i], y[:i], lam), x[i]) for i in range(start, len(y))]
    return kendall([float(v) for v in y[start:]], out)


def main(runs):
    print("| run | n | search regressor, predicted-before-refit | ridge on op counts, LOO / sequential | ridge on one-hot edges, LOO / sequential |")
    print("|---|---|---|---|---|")
    for run in runs:
        c, h, y, p = samples(run)
        if len(y) < 12:
            continue
        own = kendall([float(v) for v in y], p) if all(v is not None for v in p) else float("nan")
        cells = []
        for x in (c, h):
            cells.append(" ; ".join(f"lam {lam:g}: {leave_one_out(x, y, lam):.2f} / {sequential(x, y, lam):.2f}" for lam in (3, 30)))
        print(f"| {os.path.basename(run.rstrip('/'))} | {len(y)} | {own:.2f} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main(sys.argv[1:])
