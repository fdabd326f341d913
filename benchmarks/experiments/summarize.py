#!/usr/bin/env python3
"""Acceptance table of benchmarks/experiments/fashion-mnist.sh from its results folder (standard library only).

Prints markdown: the label diagnostic, per search run the predicted-before-refit tau over the search (the proxy's
prediction for each new sample before it was added to the memory, against its measured loss) and the held-out tau
with its interval, the supernet judges' ranks, and the from-scratch accuracies against the measured seed spread.
"""
import itertools
import json
import os
import statistics
import sys


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def num(x):
    """A metrics number: Jackson writes a non-finite double as the string "NaN" or "Infinity"."""
    return float(x)


def kendall(x, y):
    n, s, tx, ty = len(x), 0, 0, 0
    for i in range(n):
        for j in range(i + 1, n):
            a = (x[i] > x[j]) - (x[i] < x[j])
            b = (y[i] > y[j]) - (y[i] < y[j])
            s += a * b
            tx += a == 0
            ty += b == 0
    pairs = n * (n - 1) / 2
    d = ((pairs - tx) * (pairs - ty)) ** 0.5
    return s / d if d > 0 else float("nan")


def permutation_p(a, b):
    """Exact one-sided p of mean(a) - mean(b) under relabelling: the share of splits of a + b into groups of len(a) and
    len(b) whose difference is at least the observed one (the observed split counts, so p >= 1 / C(n, len(a)))."""
    pooled, k = a + b, len(a)
    observed = statistics.mean(a) - statistics.mean(b)
    hits = total = 0
    for idx in itertools.combinations(range(len(pooled)), k):
        ga = [pooled[i] for i in idx]
        gb = [pooled[i] for i in range(len(pooled)) if i not in idx]
        total += 1
        hits += statistics.mean(ga) - statistics.mean(gb) >= observed - 1e-12
    return hits / total


def main(root):
    out = []
    diag = sorted(d for d in os.listdir(root) if d.startswith("diagnose-") and os.path.exists(os.path.join(root, d, "diagnostic.json")))
    out.append("### Label diagnostic\n\n| run | seed | warm-up paths | steps per sample | path share [90% interval] | round drift removed |"
               " time trend removed |\n|---|---|---|---|---|---|---|")
    for d in diag:
        j = json.load(open(os.path.join(root, d, "diagnostic.json")))
        trend = j.get("path_share_trend_removed")  # absent in diagnostics from before it was recorded
        cfg = j["search"]
        warm = cfg["schedule"]["warmupSamples"] if "schedule" in cfg else cfg["warmupSamples"]  # grouped config, or the flat one of older runs
        ci = j.get("path_share_ci90")  # likewise
        cis = f" [{ci['low']:.2f}, {ci['high']:.2f}]" if ci else ""
        out.append(f"| {d} | {cfg['seed']} | {warm} | {j['steps_per_sample']} | {j['path_share']:.2f}{cis} | "
                   f"{j['path_share_drift_removed']:.2f} | {'-' if trend is None else f'{trend:.2f}'} |")
    budget = os.path.join(root, "budget.txt")
    if os.path.exists(budget):
        out.append("\nBudget chosen by the rule in fashion-mnist.sh: " + "; ".join(open(budget).read().split("\n")).strip("; "))
    out.append("\n### Searches\n\n| run | genotype | predicted-before-refit tau | held-out tau [90% interval] | label share | acceptance (tau >= 0.3) |\n|---|---|---|---|---|---|")
    sdir = os.path.join(root, "search")
    for name in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else []:  # a partial experiment may have none yet
        m = os.path.join(sdir, name, "metrics.jsonl")
        if not os.path.exists(m):
            continue
        rs = records(m)
        search = [r for r in rs if r.get("phase") == "search" and "predicted" in r]
        pre = kendall([num(r["val_loss"]) for r in search], [num(r["predicted"]) for r in search]) if len(search) > 2 else float("nan")
        held = [r for r in rs if r.get("phase") == "heldout"]
        diagr = [r for r in rs if r.get("phase") == "label_diagnostic"]
        final = [r for r in rs if r.get("phase") == "final"]
        h = held[-1] if held else None
        hs = f"{num(h['tau']):.2f} [{num(h['tau_low']):.2f}, {num(h['tau_high']):.2f}]" if h else "-"
        ok = "-" if not search else ("yes" if pre >= 0.3 and h and num(h["tau"]) >= 0.3 else "no")
        out.append(f"| {name} | `{final[-1]['genotype'] if final else '-'}` | {pre:.2f} | {hs} | "
                   f"{num(diagr[-1]['path_share']):.2f} | {ok} |" if diagr else
                   f"| {name} | `{final[-1]['genotype'] if final else '-'}` | {pre:.2f} | {hs} | - | {ok} |")
    jdir = os.path.join(root, "judge")
    for name in sorted(os.listdir(jdir)) if os.path.isdir(jdir) else []:
        if not name.endswith(".json"):
            continue
        j = json.load(open(os.path.join(jdir, name)))
        out.append(f"\n### Supernet judge {name[:-5]} ({os.path.relpath(j['supernet'], root)}; "
                   f"{len(j['randomLosses'])} random genotypes; each trained one sample at lr {j['lr']:.4g})\n")
        out.append("| genotype of | loss | random genotypes scoring lower | top quartile |\n|---|---|---|---|")
        for v in j["verdicts"]:
            out.append(f"| {v['name']} | {v['loss']:.4f} | {v['randomBetter']} of {v['randomCount']} | {'yes' if v['randomBetter'] < v['randomCount'] / 4 else 'no'} |")
    scr = os.path.join(root, "scratch")
    if os.path.isdir(scr):
        acc = {}
        for d in sorted(os.listdir(scr)):
            f = os.path.join(scr, d, "result.json")
            if os.path.exists(f):
                name = d.rsplit("-t", 1)[0]
                acc.setdefault(name, []).append(json.load(open(f))["testAccuracy"])
        spread = acc.get("spread-DARTS_V2", [])
        sd = statistics.stdev(spread) if len(spread) > 1 else float("nan")
        out.append(f"\n### From scratch (test accuracy; seed-to-seed sd of DARTS_V2: {sd:.4f} over {len(spread)} seeds)\n")
        out.append("| genotype | accuracies | mean |\n|---|---|---|")
        for name, a in sorted(acc.items()):
            out.append(f"| {name} | {', '.join(f'{x:.4f}' for x in a)} | {statistics.mean(a):.4f} |")
        rnd = [x for n, a in acc.items() if n.startswith("random-genotype") for x in a]
        rnd_means = [statistics.mean(a) for n, a in acc.items() if n.startswith("random-genotype")]
        for method in ("pvll-lstm", "pvll-gae", "darts", "random", "pvll-ridge"):
            m = [x for n, a in acc.items() if n.startswith(method + "-s") for x in a]
            if m and rnd:
                diff = statistics.mean(m) - statistics.mean(rnd)
                verdict = "better" if diff >= 2 * sd else ("worse" if diff <= -2 * sd else "no detectable difference")
                means = [statistics.mean(a) for n, a in acc.items() if n.startswith(method + "-s")]
                out.append(f"\n{method}: mean {statistics.mean(m):.4f} against random genotypes {statistics.mean(rnd):.4f} "
                           f"(difference {diff:+.4f}, 2 x seed sd = {2 * sd:.4f}): {verdict}; "
                           f"permutation test over genotype means ({len(means)} against {len(rnd_means)}): one-sided p = {permutation_p(means, rnd_means):.3f}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
