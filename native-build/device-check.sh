#!/usr/bin/env bash
# The device check (docs/architecture.md#gpu-bundle), run from the GPU bundle (native-build/bundle.sh copies this file to the
# bundle's root as device-check). One call, well inside 8 minutes on an H100; every stage has its own time limit,
# records pass/fail/skip and its wall time, and never stops the later stages:
#   info         bin/proxynas info (GPU, memory, compute capability, driver, kernels loaded)
#   conformance  the GPU conformance tests (bin/gpu-tests: tag gpu, every kernel against the CPU reference)
#   memcheck     compute-sanitizer --tool memcheck on a short single-path train step (proxynas bench)
#   racecheck    the same under --tool racecheck
#   search       a tiny end-to-end search with --backend cuda
#   bench        the step benchmarks: proxynas bench, then the PyTorch peer (its own GPU variants)
#   torch
# and prints a short table last (tools/device_check_table.py), also written to $OUT/summary.txt. Exits 1 when a
# stage failed.
# Files in $OUT (at most 8, flat): summary.txt, stages.tsv, logs.tar.gz (every stage's log), conformance.xml,
# search-run.tar.gz, bench-proxynas.json, bench-torch.json.
# --quick (or DC_QUICK=1): for a short device window, under 3 minutes by design (the quick limits below sum to
# 175 s, so even a run where every stage hits its limit ends within 3 minutes plus the kill grace): info,
# conformance, one search iteration and one bench pair (proxynas bench and the PyTorch peer's CUDA-graph variant,
# single-path train step only); the compute-sanitizer stages are skipped. Not yet timed on a GPU.
# Environment: OUT (default ./device-check-out), PYTHON (default python3), DEVICE_CHECK_CPU_DRYRUN=1 (no GPU: run
# search and benchmarks on the CPU at toy sizes to exercise the plumbing; their rows say so and are no result),
# DC_LIMIT_<STAGE> (seconds; defaults below), DC_SEARCH_ARGS, DC_TORCH_VARIANTS.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
OUT="${OUT:-$PWD/device-check-out}"
PYTHON="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1
dryrun="${DEVICE_CHECK_CPU_DRYRUN:-0}"
quick="${DC_QUICK:-0}"
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    *) echo "device-check: unknown argument '$a' (expected --quick)" >&2; exit 2 ;;
  esac
done
if [ "$quick" = 1 ]; then
  # Limits sum to 175 s (sanitizers skipped).
  declare -A limit=([info]="${DC_LIMIT_INFO:-20}" [conformance]="${DC_LIMIT_CONFORMANCE:-60}"
                    [memcheck]=0 [racecheck]=0
                    [search]="${DC_LIMIT_SEARCH:-35}" [bench]="${DC_LIMIT_BENCH:-25}" [torch]="${DC_LIMIT_TORCH:-35}")
  torch_variants="${DC_TORCH_VARIANTS:-cuda_graph}"
else
  # Limits sum to 7 minutes; a typical run on a GPU takes well under that.
  declare -A limit=([info]="${DC_LIMIT_INFO:-30}" [conformance]="${DC_LIMIT_CONFORMANCE:-90}"
                    [memcheck]="${DC_LIMIT_MEMCHECK:-45}" [racecheck]="${DC_LIMIT_RACECHECK:-45}"
                    [search]="${DC_LIMIT_SEARCH:-75}" [bench]="${DC_LIMIT_BENCH:-60}" [torch]="${DC_LIMIT_TORCH:-75}")
  torch_variants="${DC_TORCH_VARIANTS:-eager,eager_cudnn_bench,channels_last,cuda_graph}"
fi

mkdir -p "$OUT"
work="$(mktemp -d "${TMPDIR:-/tmp}/device-check.XXXXXX")"
mkdir -p "$work/logs"
stages="$OUT/stages.tsv"
printf 'stage\tstatus\tseconds\tnote\n' > "$stages"
proxynas=("$here/bin/proxynas")
java=("$here/runtime/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -XX:MaxRAMPercentage=75 ${PROXYNAS_JAVA_OPTS:-} -jar "$here/app/proxynas.jar")

now() { date +%s.%N; }
budget() { local l="${limit[$1]}"; echo $(( l > 30 ? l - 15 : l / 2 )); }  # a benchmark's own budget inside its limit
# record STAGE STATUS T0 NOTE: one row of stages.tsv, and the logs packed again (so a kill loses nothing).
record() {
  local secs; secs="$(awk -v a="$3" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$secs" "$(printf '%s' "$4" | tr '\t\n' '  ' | cut -c1-300)" >> "$stages"
  echo "device-check: $1: $2 (${secs} s) $4"
  tar -czf "$OUT/logs.tar.gz" -C "$work" logs 2>/dev/null
}
# run STAGE CMD...: the command under the stage's time limit, output to logs/STAGE.log; returns its exit status
# (124: the limit was hit).
run() {
  local stage="$1"; shift
  { echo "\$ $*"; echo; } > "$work/logs/$stage.log"
  timeout -k 10 "${limit[$stage]}" "$@" >> "$work/logs/$stage.log" 2>&1
}
# The last line that says something: no blank lines, stack frames or compute-sanitizer banners.
last_line() { grep -v -e '^\s*$' -e '^\s*at ' -e '^=====' "$work/logs/$1.log" | tail -1 | cut -c1-200; }
why_failed() {  # STAGE RC -> a short reason
  if [ "$2" = 124 ] || [ "$2" = 137 ]; then echo "timed out after ${limit[$1]} s; $(last_line "$1")"; else echo "exit $2: $(last_line "$1")"; fi
}

# ---- a. info ------------------------------------------------------------------------------------------------------
t0="$(now)"
run info "${proxynas[@]}" info; rc=$?
info_log="$work/logs/info.log"
gpu=0
if grep -q '^kernels  fatbin loaded' "$info_log"; then
  gpu=1
  gpu_reason="$(grep -m1 '^gpu 0' "$info_log" | sed 's/^gpu 0 *//'); $(grep -m1 '^cuda ' "$info_log" | sed 's/^cuda *//')"
else
  gpu_reason="$(grep -m1 '^kernels ' "$info_log" || grep -m1 '^cuda ' "$info_log" || echo "proxynas info failed")"
  gpu_reason="$(echo "$gpu_reason" | sed 's/^[a-z]* *//; s/^unavailable: //')"
fi
if [ "$rc" = 0 ]; then record info pass "$t0" "$gpu_reason"; else record info fail "$t0" "$(why_failed info "$rc")"; fi
no_gpu="no GPU: $gpu_reason"

# ---- b. GPU conformance -------------------------------------------------------------------------------------------
t0="$(now)"
run conformance "$here/bin/gpu-tests" --reports-dir "$work/junit"; rc=$?
log="$work/logs/conformance.log"
count() { sed -n "s/^\[ *\([0-9]*\) $1 *\]$/\1/p" "$log" | head -1; }
ok="$(count 'tests successful')"; failed="$(count 'tests failed')"; skipped="$(count 'tests skipped')"
aborted="$(count 'tests aborted')"; cskipped="$(count 'containers skipped')"; cfailed="$(count 'containers failed')"
[ -f "$work/junit/TEST-junit-jupiter.xml" ] && cp "$work/junit/TEST-junit-jupiter.xml" "$OUT/conformance.xml"
counts="${ok:-?} passed, ${failed:-?} failed, ${skipped:-?} skipped, ${aborted:-?} aborted; ${cskipped:-?} containers skipped, ${cfailed:-?} failed"
if [ -z "$ok" ]; then
  record conformance fail "$t0" "$(why_failed conformance "$rc") (no test summary)"
elif [ "$gpu" = 0 ]; then
  record conformance skip "$t0" "$no_gpu; the launcher ran: $counts"
elif [ "${failed:-1}" = 0 ] && [ "${cfailed:-1}" = 0 ] && [ "${aborted:-1}" = 0 ] && [ "$ok" -gt 0 ] && [ "$rc" = 0 ]; then
  record conformance pass "$t0" "$counts"
else
  record conformance fail "$t0" "$counts$([ "$rc" = 124 ] && echo "; timed out after ${limit[conformance]} s")"
fi

# Whether this build has `proxynas bench` (written in parallel with this script).
have_bench=0
"${proxynas[@]}" --help > "$work/logs/commands.log" 2>&1
grep -qE '^  bench ' "$work/logs/commands.log" && have_bench=1
no_bench="this build has no 'proxynas bench' command"

# ---- c. compute-sanitizer -----------------------------------------------------------------------------------------
sanitizer="$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)"
for tool in memcheck racecheck; do
  t0="$(now)"
  if [ "$quick" = 1 ]; then record "$tool" skip "$t0" "--quick"; continue; fi
  if [ "$gpu" = 0 ]; then record "$tool" skip "$t0" "$no_gpu"; continue; fi
  if [ -z "$sanitizer" ]; then record "$tool" skip "$t0" "no compute-sanitizer on PATH or in /usr/local/cuda/bin"; continue; fi
  if [ "$have_bench" = 0 ]; then record "$tool" skip "$t0" "$no_bench"; continue; fi
  # The JVM itself under the sanitizer (not the bash launcher); one warm-up and two timed single-path train steps.
  run "$tool" "$sanitizer" --tool "$tool" --error-exitcode 86 --print-limit 20 "${java[@]}" bench --backend cuda \
    --modes single --phases train_step --batch 8 --warmup 1 --iters 2 --out "$work/logs/$tool-bench.json"; rc=$?
  summary="$(grep -m1 -E '(ERROR|RACECHECK) SUMMARY' "$work/logs/$tool.log" | sed 's/^=* *//')"
  if grep -q 'Device not supported' "$work/logs/$tool.log"; then
    # Seen on sandboxed (gVisor) GPU machines: the sanitizer refuses the device before any kernel runs.
    record "$tool" skip "$t0" "compute-sanitizer refuses this device here: $(grep -m1 'Device not supported' "$work/logs/$tool.log" | sed 's/^=* *//')"
  elif [ "$rc" = 0 ] && [ -n "$summary" ]; then record "$tool" pass "$t0" "$summary"
  elif [ "$rc" = 86 ]; then record "$tool" fail "$t0" "${summary:-errors reported}"
  else record "$tool" fail "$t0" "$(why_failed "$tool" "$rc")${summary:+; $summary}"; fi
done

# ---- d. tiny end-to-end search ------------------------------------------------------------------------------------
t0="$(now)"
run_dir="$work/search-run"
# demo preset cut to ~1 minute: few warm-up paths and iterations, short regressor fits, a fifth of the data.
if [ "$quick" = 1 ]; then
  quick_search="--warmup-samples 2 --iterations 1 --regressor-warmup 5 --regressor-epochs 2 --steps-per-sample 2 --data-fraction 0.05 --val-fraction 0.1 --heldout 0"
  read -r -a search_args <<< "${DC_SEARCH_ARGS:-$quick_search}"
else
  read -r -a search_args <<< "${DC_SEARCH_ARGS:---warmup-samples 4 --iterations 3 --regressor-warmup 20 --regressor-epochs 10 --steps-per-sample 5 --data-fraction 0.2 --val-fraction 0.2 --heldout 0}"
fi
if [ "$gpu" = 1 ] || [ "$dryrun" = 1 ]; then
  if [ "$gpu" = 1 ]; then backend=(--backend cuda); else backend=(--backend cpu --channels 4 --layers 3); fi
  run search "${proxynas[@]}" search --preset demo "${backend[@]}" "${search_args[@]}" --out "$run_dir"; rc=$?
  [ -d "$run_dir" ] && tar -czf "$OUT/search-run.tar.gz" -C "$work" --exclude='checkpoint*' search-run
  dry="$([ "$gpu" = 0 ] && echo "cpu dry-run, not a result: ")"
  if [ "$rc" = 0 ] && [ -f "$run_dir/genotype.txt" ]; then
    record search pass "$t0" "$dry$(head -1 "$run_dir/genotype.txt" | cut -c1-160)"
  elif grep -q -- '--backend cuda:' "$work/logs/search.log"; then
    record search skip "$t0" "$dry$(last_line search)"
  else
    record search fail "$t0" "$dry$(why_failed search "$rc")"
  fi
else
  record search skip "$t0" "$no_gpu"
fi

# ---- e. step benchmarks: ProxyNAS, then the PyTorch peer in the same call ----------------------------------------
t0="$(now)"
if [ "$gpu" = 0 ] && [ "$dryrun" != 1 ]; then
  record bench skip "$t0" "$no_gpu"
elif [ "$have_bench" = 0 ]; then
  record bench skip "$t0" "$no_bench"
else
  if [ "$gpu" = 1 ]; then
    bench_args=(--backend cuda --budget-seconds "$(budget bench)")
    [ "$quick" = 1 ] && bench_args+=(--modes single --phases train_step)
  else
    bench_args=(--backend cpu --channels 4 --layers 3 --batch 4 --eval-batch 8 --modes single --warmup 1 --iters 2)
  fi
  run bench "${proxynas[@]}" bench "${bench_args[@]}" --out "$OUT/bench-proxynas.json"; rc=$?
  dry="$([ "$gpu" = 0 ] && echo "cpu dry-run, not a result")"
  if [ "$rc" = 0 ] && [ -f "$OUT/bench-proxynas.json" ]; then record bench pass "$t0" "$dry"
  else record bench fail "$t0" "${dry:+$dry; }$(why_failed bench "$rc")"; fi
fi

t0="$(now)"
if [ "$gpu" = 0 ] && [ "$dryrun" != 1 ]; then
  record torch skip "$t0" "$no_gpu"
elif [ ! -f "$here/peers/torch_peer.py" ]; then
  record torch skip "$t0" "the bundle has no peers/torch_peer.py (bundle.sh found no peer script)"
elif ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -c 'import torch' > "$work/logs/torch-import.log" 2>&1; then
  record torch skip "$t0" "no $PYTHON with torch ($(tail -1 "$work/logs/torch-import.log" 2>/dev/null))"
else
  if [ "$gpu" = 1 ]; then
    torch_args=(--variants "$torch_variants" --budget-seconds "$(budget torch)")
    [ "$quick" = 1 ] && torch_args+=(--modes single --phases train_step)
  else
    torch_args=(--cpu --C 4 --layers 3 --batch 4 --eval-batch 8 --modes single --warmup 1 --iters 2 --budget-seconds 40)
  fi
  run torch "$PYTHON" "$here/peers/torch_peer.py" "${torch_args[@]}" --out "$OUT/bench-torch.json"; rc=$?
  dry="$([ "$gpu" = 0 ] && echo "cpu dry-run, not a result")"
  if [ "$rc" = 0 ] && [ -f "$OUT/bench-torch.json" ]; then record torch pass "$t0" "$dry"
  else record torch fail "$t0" "${dry:+$dry; }$(why_failed torch "$rc")"; fi
fi

# ---- f. the table, last -------------------------------------------------------------------------------------------
rm -rf "$work/search-run"
table_args=(--stages "$stages" --info "$info_log" --proxynas "$OUT/bench-proxynas.json" --torch "$OUT/bench-torch.json"
            --out "$OUT/summary.txt")
[ "$gpu" = 0 ] && [ "$dryrun" = 1 ] && table_args+=(--dry-run)
if command -v "$PYTHON" >/dev/null && "$PYTHON" "$here/tools/device_check_table.py" "${table_args[@]}" > "$work/table.txt" 2> "$work/logs/table.log"; then
  tar -czf "$OUT/logs.tar.gz" -C "$work" logs 2>/dev/null
  echo
  cat "$work/table.txt"
else
  echo "device-check: the table script failed ($(tail -1 "$work/logs/table.log" 2>/dev/null)); the stages:"
  column -t -s $'\t' "$stages" 2>/dev/null || cat "$stages"
  cp "$stages" "$OUT/summary.txt"
fi
rm -rf "$work"
# Exit status: 1 when a stage failed (a skip is no failure).
! cut -f2 "$stages" | grep -qx fail
