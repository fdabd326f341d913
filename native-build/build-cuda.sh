#!/usr/bin/env bash
# Builds the CUDA kernels in cuda/*.cu two ways (docs/architecture.md#backends); called by Maven in generate-resources.
#   1. nvcc: one fatbin (SASS sm_80/86/89/90 + PTX compute_90, -O3 -lineinfo) as the jar resource
#      org/proxynas/cuda/proxynas.fatbin, with `-Xptxas -v` resource usage in target/cuda-resource-usage.txt and a
#      gate (native-build/ptxas-gate.sh) that fails the build on register spills or stack frames.
#   2. g++ (C++20): the same sources against cuda/emu/cuda_emu.h into target/native/libproxynas_emu.so, which the
#      CUDA backend loads in place of the driver (EmulatedLauncher), so the kernels run in CI with no GPU; and the
#      kernel ABI table org/proxynas/cuda/kernels.abi (a jar resource: each kernel's launch bounds and parameter
#      types, printed from the compiled kernels), by which both launchers pack arguments (KernelAbi).
# A missing tool is one line and not an error. Each output is skipped while it is newer than every input.
# Environment: NVCC, CXX (compilers), PROXYNAS_EMU_ASAN=1 (build the emulation with -fsanitize=address; the JVM
# then needs LD_PRELOAD=$(g++ -print-file-name=libasan.so)), PROXYNAS_NATIVE_FORCE=1 (ignore the cache).
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
target="$root/target"
fatbin="$target/classes/org/proxynas/cuda/proxynas.fatbin"
usage="$target/cuda-resource-usage.txt"
emu_lib="$target/native/libproxynas_emu.so"
abi_table="$target/classes/org/proxynas/cuda/kernels.abi"
targets="$target/classes/org/proxynas/cuda/fatbin.properties"
sass_targets=(80 86 89 90)
ptx_target=90
shopt -s nullglob
sources=(cuda/*.cu)
if [ ${#sources[@]} -eq 0 ]; then echo "build-cuda: no cuda/*.cu sources"; exit 0; fi
inputs=(cuda native-build/build-cuda.sh native-build/ptxas-gate.sh)

# True when $1 exists and is newer than every file under the inputs.
up_to_date() {
  [ "${PROXYNAS_NATIVE_FORCE:-0}" != 1 ] && [ -f "$1" ] && [ -z "$(find "${inputs[@]}" -newer "$1" -print -quit)" ]
}

find_tool() {  # $1 = env override, $2 = name, rest = fallback paths
  local override="$1" name="$2"; shift 2
  if [ -n "$override" ] && [ -x "$(command -v "$override" 2>/dev/null || true)" ]; then command -v "$override"; return; fi
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local p; for p in "$@"; do [ -x "$p" ] && { echo "$p"; return; }; done
  return 1
}

build_fatbin() {
  local nvcc="$1"
  if up_to_date "$fatbin" && up_to_date "$targets"; then echo "build-cuda: fatbin up to date ($fatbin)"; return 0; fi
  mkdir -p "$(dirname "$fatbin")" "$target/cuda"
  local unity="$target/cuda/all.cu" f
  : > "$unity"
  for f in "${sources[@]}"; do echo "#include \"$root/$f\"" >> "$unity"; done
  # Machine code for each of sass_targets, PTX for ptx_target (the newest: JIT-compiled on newer GPUs).
  local gencode=() cc
  for cc in "${sass_targets[@]}"; do
    if [ "$cc" = "$ptx_target" ]; then gencode+=(-gencode "arch=compute_$cc,code=[sm_$cc,compute_$cc]")
    else gencode+=(-gencode "arch=compute_$cc,code=sm_$cc"); fi
  done
  local t0=$SECONDS
  if ! "$nvcc" -fatbin -O3 -lineinfo -std=c++17 -Xptxas -v -I"$root/cuda" \
      "${gencode[@]}" \
      -o "$fatbin.tmp" "$unity" > "$usage" 2>&1; then
    cat "$usage" >&2
    rm -f "$fatbin.tmp"
    echo "build-cuda: nvcc FAILED (log above, also in $usage)" >&2
    return 1
  fi
  if ! "$root/native-build/ptxas-gate.sh" "$usage" >&2; then
    rm -f "$fatbin.tmp" "$fatbin"
    echo "build-cuda: resource gate FAILED, see $usage" >&2
    return 1
  fi
  # What the fatbin needs of a driver and GPU (FatbinTargets): the nvcc's CUDA version and the -gencode targets above.
  local release
  release="$("$nvcc" --version | sed -n 's/.*release \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -1)"
  printf 'cuda.version=%s\nsass=%s\nptx=%s\n' "${release:?nvcc --version names no release}" \
    "$(IFS=,; echo "${sass_targets[*]}")" "$ptx_target" > "$targets.tmp"
  mv "$targets.tmp" "$targets"
  mv "$fatbin.tmp" "$fatbin"
  echo "build-cuda: fatbin built with $nvcc in $((SECONDS - t0)) s ($(wc -c < "$fatbin") bytes), resource usage in $usage"
}

# Writes the emulation's unity file: every cuda/*.cu, then PROXYNAS_KERNELS(X), one X(kernel, launch bounds) per
# kernel as its declaration states them, expanded by cuda/emu/cuda_emu.h into the entry points and the ABI table.
# Every kernel is declared on two lines: `extern "C" __global__ void __launch_bounds__(N)`, then `name(...`.
write_emulation_unity() {
  local unity="$1" f
  : > "$unity"
  for f in "${sources[@]}"; do echo "#include \"$root/$f\"" >> "$unity"; done
  echo '#define PROXYNAS_KERNELS(X) \' >> "$unity"
  awk '
    /__global__/ {
      if ($0 !~ /^extern "C" __global__ void __launch_bounds__\(.*\)[ \t]*$/) {
        print FILENAME ":" FNR ": a kernel is declared as `extern \"C\" __global__ void __launch_bounds__(N)` " \
              "with its name on the next line" > "/dev/stderr"; bad = 1; next
      }
      bounds = $0; sub(/^extern "C" __global__ void __launch_bounds__\(/, "", bounds); sub(/\)[ \t]*$/, "", bounds)
      pending = FILENAME ":" FNR; next
    }
    pending != "" {
      if (match($0, /^[A-Za-z_][A-Za-z0-9_]*\(/)) printf "    X(%s, %s) \\\n", substr($0, 1, RLENGTH - 1), bounds
      else { print pending ": the kernel name must start the line after its declaration" > "/dev/stderr"; bad = 1 }
      pending = ""
    }
    END { exit bad }' "${sources[@]}" >> "$unity"
  printf '\nPROXYNAS_EMU_DEFINE_ABI(PROXYNAS_KERNELS)\n' >> "$unity"
}

build_emulation() {
  local cxx="$1"
  if up_to_date "$emu_lib" && up_to_date "$abi_table"; then
    echo "build-cuda: emulation library and kernel ABI table up to date ($emu_lib)"; return 0
  fi
  mkdir -p "$(dirname "$emu_lib")" "$(dirname "$abi_table")" "$target/cuda"
  local unity="$target/cuda/emu-unity.cpp"
  write_emulation_unity "$unity"
  local flags=(-std=c++20 -O2 -g -fPIC -pthread -ffp-contract=off -Wall -Wextra -Wno-unused-parameter
               -I"$root/cuda" -include "$root/cuda/emu/cuda_emu.h")
  [ "${PROXYNAS_EMU_ASAN:-0}" = 1 ] && flags+=(-fsanitize=address -fno-omit-frame-pointer)
  local t0=$SECONDS
  if ! "$cxx" "${flags[@]}" -shared -fvisibility=hidden -x c++ "$unity" -o "$emu_lib.tmp"; then
    rm -f "$emu_lib.tmp"
    echo "build-cuda: emulation build with $cxx FAILED" >&2
    return 1
  fi
  # The ABI table the driver launcher packs by (a jar resource): printed from the library's own parameter types.
  local dump="$target/cuda/print-kernel-abi"
  printf 'extern "C" const char *proxynas_kernel_abi();\n#include <cstdio>\nint main() { std::fputs(proxynas_kernel_abi(), stdout); }\n' \
    | "$cxx" "${flags[@]}" -x c++ - -x none "$emu_lib.tmp" -o "$dump"
  if ! "$dump" > "$abi_table.tmp" || [ ! -s "$abi_table.tmp" ]; then
    rm -f "$emu_lib.tmp" "$abi_table.tmp"
    echo "build-cuda: printing the kernel ABI table FAILED" >&2
    return 1
  fi
  mv "$emu_lib.tmp" "$emu_lib"
  mv "$abi_table.tmp" "$abi_table"
  echo "build-cuda: emulation library and kernel ABI table ($(wc -l < "$abi_table") kernels) built with $cxx in" \
       "$((SECONDS - t0)) s ($emu_lib)"
}

status=0
pids=()
if nvcc="$(find_tool "${NVCC:-}" nvcc /usr/local/cuda/bin/nvcc)"; then
  build_fatbin "$nvcc" & pids+=($!)
else
  echo "nvcc not found: CUDA kernels not built (CPU backend only)"
fi
if cxx="$(find_tool "${CXX:-}" g++ /usr/bin/g++ /usr/local/bin/g++)"; then
  build_emulation "$cxx" & pids+=($!)
else
  echo "g++ not found: CUDA emulation library not built (emulated CUDA tests will be skipped)"
fi
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
