#!/usr/bin/env bash
# Scaling study: how the train_step time (single path and mixture) and memory grow with the batch (16..256), the
# channels C (16, 32, 64) and the cells L (5, 8, 14, 20), one axis at a time with the others at C=16, L=8,
# batch 64. Each size is one `proxynas bench` run with its own time budget; its JSON goes to OUT/cC-lL-bB.json,
# then `proxynas bench-plot` draws OUT/scaling-{batch,channels,layers}.png. A size whose steps do not fit the budget
# is recorded as budget_exhausted and leaves a gap in the plots. A size already in OUT is not run again.
#
#   benchmarks/scaling.sh                               # CPU, 100 s per size, into benchmarks/scaling/cpu
#   benchmarks/scaling.sh --backend cuda --budget 40 --iters 20 --out "$OUT/scaling"   # on a GPU
#
# Options: --backend auto|cpu|cuda (default cpu), --budget SECONDS per size (default 100), --warmup N (1),
# --iters N (3), --modes LIST (single,mixture), --only 'C-L-B ...' (just these sizes, e.g. '16-8-128 32-8-64'),
# --out DIR (benchmarks/scaling/<backend>), --bin COMMAND (the proxynas launcher; default ./proxynas, e.g.
# bin/proxynas in the GPU bundle). PROXYNAS_JAVA_OPTS defaults to -Xmx10g (the mixture at batch 256 is large).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backend=cpu budget=100 warmup=1 iters=3 modes=single,mixture sizes_only="" out="" bin="$root/proxynas"
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --iters) iters="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --only) sizes_only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    *) echo "scaling.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
out="${out:-$root/benchmarks/scaling/$backend}"
mkdir -p "$out"
export PROXYNAS_JAVA_OPTS="${PROXYNAS_JAVA_OPTS:--Xmx10g}"

sizes=()
for b in 16 32 64 128 256; do sizes+=("16 8 $b"); done
for c in 32 64; do sizes+=("$c 8 64"); done
for l in 5 14 20; do sizes+=("16 $l 64"); done

echo "scaling: ${sizes_only:-${#sizes[@]} sizes} ($modes) on --backend $backend, ${budget}s each, into $out; load: $(uptime)" | tee -a "$out/scaling.log"
for s in "${sizes[@]}"; do
  read -r c l b <<<"$s"
  if [ -n "$sizes_only" ] && [[ " $sizes_only " != *" $c-$l-$b "* ]]; then continue; fi
  json="$out/c$c-l$l-b$b.json"
  if [ -f "$json" ]; then echo "scaling: $json exists, kept"; continue; fi
  echo "== C=$c L=$l batch=$b  ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/scaling.log"
  # single first: with two runs left it gets half the budget, the (slower) mixture the rest
  "$bin" bench --backend "$backend" --channels "$c" --layers "$l" --batch "$b" --modes "$modes" \
      --phases train_step --warmup "$warmup" --iters "$iters" --min-iters 1 --budget-seconds "$budget" \
      --out "$json" 2>&1 | tee -a "$out/scaling.log" \
    || echo "scaling: C=$c L=$l batch=$b had a failed run (recorded in $json)" | tee -a "$out/scaling.log"
done
echo "scaling: done $(date -u +%H:%M:%S); load: $(uptime)" | tee -a "$out/scaling.log"
"$bin" bench-plot "$out" || echo "scaling: plots not drawn here; run ./proxynas bench-plot $out with a full JDK" >&2
