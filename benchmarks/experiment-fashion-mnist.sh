#!/usr/bin/env bash
# Evidence that the method works (issue: PVLL search): a reduced PVLL search on Fashion-MNIST, then the found
# genotype and five uniformly random genotypes trained with the same short budget, plus the proxy's Kendall tau
# on held-out samples and the wall time of each phase. Needs Debian's dataset-fashion-mnist.
#   benchmarks/experiment-fashion-mnist.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/experiment-fashion-mnist}"
mkdir -p "$out"
cd "$root"
search=(--preset demo --dataset fashion-mnist --data-fraction 0.1 --warmup-samples 16 --iterations 40 --heldout 16 --seed 1)
train=(--dataset fashion-mnist --epochs 1 --layers 5 --channels 8 --batch 64 --train-fraction 0.1 --cutout 8 --seed 1)
# Each step is skipped when its result exists, so an interrupted experiment continues where it stopped.
if [ ! -f "$out/search/genotype.json" ]; then
  echo "== search: ${search[*]}"
  if [ -f "$out/search/checkpoint.bin" ]; then ./proxynas search --resume "$out/search"; else ./proxynas search "${search[@]}" --out "$out/search"; fi
fi
for g in "$out/search/genotype.json" random:1 random:2 random:3 random:4 random:5; do
  name=$(basename "${g//:/-}" .json)
  [ -f "$out/train-$name/result.json" ] && continue
  echo "== train $g: ${train[*]}"
  ./proxynas train --genotype "$g" "${train[@]}" --out "$out/train-$name"
done
/usr/bin/env python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
m = [json.loads(l) for l in open(f"{out}/search/metrics.jsonl") if l.strip()]
phases = {}
prev = 0.0
for r in m:
    if 'elapsed_s' in r:
        phases.setdefault(r['phase'], [None, None])
        if phases[r['phase']][0] is None: phases[r['phase']][0] = prev
        phases[r['phase']][1] = r['elapsed_s']; prev = r['elapsed_s']
print("| search phase | wall time (s) |\n|---|---|")
for k, (a, b) in phases.items(): print(f"| {k} | {b - a:.0f} |")
held = [r for r in m if r['phase'] == 'heldout']
taus = [r['tau'] for r in m if r['phase'] == 'search']
print(f"\nproxy Kendall tau-b: held-out {held[-1]['tau']:.3f} on {held[-1]['samples']} samples; "
      f"on the memory during the search: first {taus[0]:.3f}, last {taus[-1]:.3f}")
print("\n| genotype | test accuracy | test loss | parameters | wall time (s) |\n|---|---|---|---|---|")
for d in sorted(os.listdir(out)):
    if d.startswith('train-'):
        r = json.load(open(f"{out}/{d}/result.json"))
        print(f"| {d[6:]} | {r['testAccuracy']:.4f} | {r['testLoss']:.4f} | {r['parameters']:,} | {r['seconds']:.0f} |")
PY
