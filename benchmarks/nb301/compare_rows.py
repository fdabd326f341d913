#!/usr/bin/env python3
"""Tuning table: each row's PVLL (or other method) against random search of the base row, per query count.

    benchmarks/nb301/compare_rows.py DIR/base-rs DIR/row1 DIR/row2 ...

Reads results.jsonl (or .gz) of each run directory; prints mean best-found accuracy (%) +- 95% CI half-width over the
seeds at 50/100/200/300 queries, the difference to random search with the paired t-test p over the shared seeds,
the mean held-out Kendall tau of the regressor (prediction made before the label; the `predicted` field), and the
seconds per unit from timing.json. Standard library only.
"""
import gzip, json, math, os, statistics, sys

CHECKPOINTS = (50, 100, 200, 300)


def load(d):
    p = os.path.join(d, "results.jsonl")
    f = open(p) if os.path.exists(p) else gzip.open(p + ".gz", "rt")
    best, tau = {}, {}
    with f:
        for line in f:
            r = json.loads(line)
            key = (r["method"], r["seed"])
            best.setdefault(key, {})[r["query"]] = r["best"]
            if r.get("predicted") is not None and r.get("label") is not None:
                tau.setdefault(key, []).append((r["predicted"], r["label"]))
    return best, tau


def at(curve, q):
    qs = [k for k in curve if k <= q]
    return curve[max(qs)] if qs else float("nan")


def t_cdf_two_sided(t, df):
    # Two-sided p of Student's t via the regularised incomplete beta function (continued fraction).
    x = df / (df + t * t)
    return betainc(df / 2, 0.5, x)


def betainc(a, b, x):
    if x <= 0: return 0.0
    if x >= 1: return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbeta) * cf(a, b, x) / a
    return 1 - math.exp(lbeta) * cf(b, a, 1 - x) / b


def cf(a, b, x):
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > 1e-30 else 1e-30)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1 + num * d
            d = 1 / (d if abs(d) > 1e-30 else 1e-30)
            c = 1 + num / c if abs(1 + num / c) > 1e-30 else 1e-30
            h *= d * c
    return h


def paired_p(a, b):
    d = [x - y for x, y in zip(a, b)]
    if len(d) < 2: return float("nan")
    sd = statistics.stdev(d)
    if sd == 0: return 1.0 if statistics.mean(d) == 0 else 0.0
    t = statistics.mean(d) / (sd / math.sqrt(len(d)))
    return t_cdf_two_sided(t, len(d) - 1)


def kendall(pairs):
    c = dc = 0
    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            s = (pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1])
            c += s > 0
            dc += s < 0
    return (c - dc) / max(1, c + dc)


def main(dirs):
    base_best, _ = load(dirs[0])
    rs = {s: c for (m, s), c in base_best.items() if m == "random"}
    header = "| row | method | " + " | ".join(f"@{q}" for q in CHECKPOINTS) + " | tau | s/unit |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for d in dirs:
        best, tau = load(d)
        timing = {}
        tp = os.path.join(d, "timing.json")
        if os.path.exists(tp): timing = json.load(open(tp))
        for m in sorted({m for m, _ in best}):
            seeds = sorted(s for mm, s in best if mm == m)
            cells = []
            for q in CHECKPOINTS:
                v = [100 * at(best[(m, s)], q) for s in seeds]
                mean = statistics.mean(v)
                ci = 1.96 * statistics.stdev(v) / math.sqrt(len(v)) if len(v) > 1 else float("nan")
                cell = f"{mean:.2f} ± {ci:.2f}"
                shared = [s for s in seeds if s in rs]
                if m != "random" and shared:
                    a = [100 * at(best[(m, s)], q) for s in shared]
                    b = [100 * at(rs[s], q) for s in shared]
                    cell += f"; {statistics.mean(a) - statistics.mean(b):+.2f}, p {paired_p(a, b):.2g}"
                cells.append(cell)
            taus = [kendall(tau[(m, s)]) for s in seeds if (m, s) in tau and len(tau[(m, s)]) > 2]
            t = f"{statistics.mean(taus):.2f}" if taus else ""
            spu = timing.get(m, {}).get("seconds_per_unit")
            print(f"| {os.path.basename(d.rstrip('/'))} | {m} | " + " | ".join(cells) + f" | {t} | {spu:.0f} |" if spu else
                  f"| {os.path.basename(d.rstrip('/'))} | {m} | " + " | ".join(cells) + f" | {t} | |")


if __name__ == "__main__":
    main(sys.argv[1:])
