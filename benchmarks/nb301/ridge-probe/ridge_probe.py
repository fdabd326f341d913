#!/usr/bin/env python3
"""A linear baseline for the predictor table (benchmarks/RESULTS.md, "Predictors alone"): ridge regression on the
one-hot (cell, edge, op) encoding of the derived cell, trained on n uniformly random genotypes and scored by Kendall
tau on 1,000 others against the shipped NAS-Bench-301 surrogate, 10 seeds per n, as the LSTM and GAE rows were.

    python3 benchmarks/nb301/ridge-probe/ridge_probe.py > benchmarks/nb301/ridge-probe/ridge.txt

Needs numpy and ./proxynas (nb301 predict). The ridge penalty is a small grid reported in full, not tuned on other
data: read the row at lambda 1 or 10, not the best of each n.
"""
import os, random, re, subprocess, sys, tempfile
import numpy as np

OPS = ['max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5']
CODE = {op: i + 1 for i, op in enumerate(OPS)}  # 0 = unused edge
START = [0, 2, 5, 9]  # first edge of each node (edges numbered by target node, then source state)
POOL, TEST = 2000, 1000


def random_cell(r):
    genes = []
    for node in range(4):
        for s in sorted(r.sample(range(node + 2), 2)):
            genes.append((r.choice(OPS), s))
    return genes


def features(normal, reduce):
    x = np.zeros(2 * 14 * 8)
    for c, genes in enumerate((normal, reduce)):
        for node in range(4):
            for op, s in genes[2 * node:2 * node + 2]:
                x[c * 112 + (START[node] + s) * 8 + CODE[op]] = 1
    return x


def kendall(a, b):
    da, db = np.sign(a[:, None] - a[None, :]), np.sign(b[:, None] - b[None, :])
    return (da * db).sum() / (len(a) * (len(a) - 1))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    r = random.Random(12345)
    cells = [(random_cell(r), random_cell(r)) for _ in range(POOL + TEST)]
    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
        for n, red in cells:
            f.write(f"Genotype(normal={n!r}, normal_concat=[2, 3, 4, 5], reduce={red!r}, reduce_concat=[2, 3, 4, 5])\n")
    out = subprocess.run([os.path.join(root, 'proxynas'), 'nb301', 'predict', '--genotypes', f.name, '--backend', 'cpu'],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    acc = {int(l.split('\t')[0]): float(l.split('\t')[1]) for l in out.splitlines() if l.strip()}
    X = np.array([features(n, red) for n, red in cells])
    y = np.array([acc[i + 1] for i in range(len(cells))])
    test = np.arange(POOL, POOL + TEST)
    lams = [0.1, 1, 10, 100]
    print('# ridge on one-hot (cell, edge, op), n random training genotypes, tau on 1,000 others; mean +- sd (n-1) over seeds 0..9')
    print('n\t' + '\t'.join(f'lambda {l}' for l in lams))
    for n in [25, 50, 100, 200, 400]:
        row = []
        for lam in lams:
            taus = []
            for seed in range(10):
                idx = np.random.RandomState(seed).choice(POOL, n, replace=False)
                a, b = X[idx], y[idx]
                w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ (b - b.mean()))
                taus.append(kendall(X[test] @ w + b.mean(), y[test]))
            row.append(f'{np.mean(taus):.3f} +- {np.std(taus, ddof=1):.3f}')
        print(f'{n}\t' + '\t'.join(row))


if __name__ == '__main__':
    sys.exit(main())
