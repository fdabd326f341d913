#!/usr/bin/env python3
"""Does a search's own supernet favour the ops the search trained most? (standard library only)

    python3 benchmarks/experiments/judge_familiarity.py RESULTS_DIR RUN [RUN ...]

For each search run (e.g. pvll-lstm-s1), every random genotype the judges scored gets a familiarity: the mean, over
its 16 (edge, op) choices, of the share of the run's search iterations whose sampled path used that op on that edge
(metrics.jsonl, ops_normal / ops_reduce). Kendall tau between familiarity and loss under the run's own final supernet
(judge/own-RUN.json) and, as the control, under the seed's warmed supernet (judge/warmed-sN.json), which no search
trained. A negative tau under the own supernet and none under the warmed one says the own supernet rewards its
history rather than the cell. Random genotypes are read from the judge files; files written before the judge recorded
them borrow them from --genotypes FILE, one genotype per line (every judge with the same --seed scores the same ones:
judge/random-genotypes-seed7.txt lists the experiment's).
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summarize import kendall  # noqa: E402

PRIMITIVES = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]
NODE_OFFSET = [0, 2, 5, 9]  # first edge of intermediate nodes 2..5 in the 14-edge DARTS cell


def genotype_choices(text):
    """[(cell, edge, op)] of a DARTS genotype text: two inputs per intermediate node, normal cell then reduction."""
    out = []
    for cell, name in enumerate(("normal", "reduce")):
        pairs = re.findall(r"\('(\w+)', (\d+)\)", re.search(name + r"=\[(.*?)\]", text).group(1))
        for i, (op, src) in enumerate(pairs):
            out.append((cell, NODE_OFFSET[i // 2] + int(src), PRIMITIVES.index(op)))
    return out


def sampled_shares(run_dir):
    counts, n = {}, 0
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("phase") != "search" or "ops_normal" not in r:
                continue
            n += 1
            for cell, key in enumerate(("ops_normal", "ops_reduce")):
                for e, o in enumerate(r[key]):
                    counts[(cell, e, o)] = counts.get((cell, e, o), 0) + 1
    return {k: v / n for k, v in counts.items()}, n


def main(argv):
    borrowed = None
    if "--genotypes" in argv:
        i = argv.index("--genotypes")
        borrowed = [line.strip() for line in open(argv[i + 1]) if line.strip()]
        argv = argv[:i] + argv[i + 2:]
    root, runs = argv[0], argv[1:]
    print("| run | search iterations | tau(familiarity, loss) own supernet | tau(familiarity, loss) warmed supernet |")
    print("|---|---|---|---|")
    for run in runs:
        seed = run.rsplit("-s", 1)[1]
        shares, n = sampled_shares(os.path.join(root, "search", run))
        taus = []
        for judge in (f"own-{run}.json", f"warmed-s{seed}.json"):
            j = json.load(open(os.path.join(root, "judge", judge)))
            genos = j.get("randomGenotypes") or borrowed
            fam = [sum(shares.get(c, 0.0) for c in genotype_choices(g)) / 16 for g in genos]
            taus.append(kendall(fam, j["randomLosses"]))
        print(f"| {run} | {n} | {taus[0]:.2f} | {taus[1]:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
