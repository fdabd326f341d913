#!/usr/bin/env python3
"""The device check's closing table (native-build/device-check.sh): each stage's status and time, then the step
benchmarks, ProxyNAS against each PyTorch peer variant per (mode, phase), and peak memory. Standard library only."""
import argparse
import csv
import json
import os
import sys
import time


def load_json(path):
    """The benchmark file's runs keyed by (mode, phase), per variant; {} when it is missing or unreadable."""
    if not path or not os.path.isfile(path):
        return {}, None
    try:
        with open(path) as fh:
            data = json.load(fh)
    except (OSError, ValueError) as e:
        return {}, f"{path}: {e}"
    runs = {}
    for r in data.get("runs", []):
        runs.setdefault(r.get("variant", "?"), {})[(r.get("mode"), r.get("phase"))] = r
    return runs, None


def ms(run):
    """Median ms of one run, or why there is none."""
    if run is None:
        return None, "-"
    if run.get("median_ms") is None:
        return None, str(run.get("status", "no-times")).replace("budget_exhausted", "over-budget").split()[0][:14]
    return run["median_ms"], f"{run['median_ms']:.2f}"


def peak_mib(run):
    if run is None:
        return "-"
    if run.get("peak_device_bytes") is not None:
        return f"{run['peak_device_bytes'] / 2**20:.0f}"
    if run.get("peak_mem_mb") is not None:
        return f"{run['peak_mem_mb']:.0f}"
    return "-"


def stage_table(path):
    with open(path) as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    lines = [f"{'stage':12} {'status':6} {'time s':>7}  note"]
    total = 0.0
    for r in rows:
        secs = float(r["seconds"] or 0)
        total += secs
        lines.append(f"{r['stage']:12} {r['status']:6} {secs:7.1f}  {r['note'][:110]}")
    lines.append(f"{'total':12} {'':6} {total:7.1f}")
    return lines


def device_lines(info_path):
    if not info_path or not os.path.isfile(info_path):
        return ["device: (no proxynas info output)"]
    keep = ("Java", "cuda ", "gpu ", "kernels")
    with open(info_path) as fh:
        return ["  " + line.rstrip() for line in fh if line.startswith(keep)]


def bench_tables(proxynas_path, torch_path):
    pn, pn_err = load_json(proxynas_path)
    peer, peer_err = load_json(torch_path)
    lines = [f"(bench: {e})" for e in (pn_err, peer_err) if e]
    ours = pn.get("proxynas", {})
    keys = sorted(set(ours) | {k for v in peer.values() for k in v}, key=lambda k: (str(k[0]), str(k[1])))
    if not keys:
        return lines + ["step benchmarks: no results (see the bench and torch stages)"]
    variants = list(peer)  # the peer's own order
    timing = {r.get("gpu_timed") for r in ours.values()}
    label = {frozenset({True}): "events", frozenset({False}): "wall"}.get(frozenset(timing), "mixed" if timing else "none")
    width = 19
    def head(ours_title):
        return f"{'mode/phase':20}" + f"{ours_title:>{width}}" + "".join(f"{v[:width - 1]:>{width}}" for v in variants)
    lines += ["median ms per step, (ratio) = ProxyNAS ms / torch ms: below 1, ProxyNAS is faster",
              head(f"proxynas ({label})")]
    for k in keys:
        our_ms, our_text = ms(ours.get(k))
        cells = [f"{our_text:>{width}}"]
        for v in variants:
            their_ms, their_text = ms(peer[v].get(k))
            if our_ms is not None and their_ms:
                their_text += f" ({our_ms / their_ms:.2f})"
            cells.append(f"{their_text:>{width}}")
        lines.append(f"{str(k[0]) + '/' + str(k[1]):20}" + "".join(cells))
    lines += ["", "peak device memory, MiB", head("proxynas")]
    for k in keys:
        cells = [f"{peak_mib(ours.get(k)):>{width}}"] + [f"{peak_mib(peer[v].get(k)):>{width}}" for v in variants]
        lines.append(f"{str(k[0]) + '/' + str(k[1]):20}" + "".join(cells))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stages", required=True, help="stages.tsv written by device-check")
    ap.add_argument("--info", help="the output of proxynas info")
    ap.add_argument("--proxynas", help="proxynas bench --out JSON")
    ap.add_argument("--torch", help="benchmarks/torch_peer.py --out JSON")
    ap.add_argument("--dry-run", action="store_true", help="no GPU: benchmark rows come from the CPU dry run")
    ap.add_argument("--out", help="also write the table here")
    a = ap.parse_args()
    lines = [f"ProxyNAS device check, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    lines += device_lines(a.info) + [""] + stage_table(a.stages) + [""]
    if a.dry_run:
        lines.append("NO GPU: the benchmark figures below (if any) are a CPU dry run of the plumbing, not a result")
    lines += bench_tables(a.proxynas, a.torch)
    text = "\n".join(lines) + "\n"
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
