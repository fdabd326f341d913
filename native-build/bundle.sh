#!/usr/bin/env bash
# Builds the bundle for bare GPU servers (docs/architecture.md#gpu-bundle): target/proxynas-bundle/ and a .tar.gz beside it.
#   runtime/   a jlink'ed Java runtime: the modules jdeps finds, less java.desktop (below), native libraries stripped
#   app/       proxynas.jar (with the CUDA fatbin when nvcc was there) and its dependencies in app/lib/
#   test/      the test classes and the JUnit console launcher, for the GPU conformance tests (bin/gpu-tests)
#   peers/     the PyTorch peer benchmark (benchmarks/torch_peer.py)
#   bin/proxynas, bin/gpu-tests, device-check, tools/device_check_table.py
# It needs only the NVIDIA driver on the server: no Java, no CUDA toolkit. Fails when the bundle is over 64 MB (60 before the NAS-Bench-301 surrogate, 2.8 MB, and YAML plans).
# java.desktop (AWT, ImageIO: the report's PNG charts) is left out: with it the runtime alone is ~57 MB. The report
# then notes each chart as not drawn; `proxynas report DIR` on a machine with a JDK draws them.
# Usage: native-build/bundle.sh [extra Maven arguments, e.g. -Dproxynas.skipNative=true]
# Environment: PEER (the peer script, default benchmarks/torch_peer.py relative to the repository; without
# it the bundle is built all the same and the device check's torch stage skips, saying why).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source native-build/find-jdk.sh
limit_bytes=64000000
out="$root/target/proxynas-bundle"
work="$root/target/bundle-work"
peer="${PEER:-benchmarks/torch_peer.py}"

# Maven offline first (quiet: everything is usually cached), then online, with its messages, for what is not.
mvn() { ./mvnw -B -ntp -q -o "$@" > /dev/null 2>&1 || ./mvnw -B -ntp -q "$@"; }

echo "bundle: building the jar (mvnw package -DskipTests) ..."
mvn package -DskipTests "$@"
jar="$root/target/proxynas.jar"
if ! "$JAVA_HOME/bin/jar" tf "$jar" | grep -q '^org/proxynas/cuda/proxynas.fatbin$'; then
  echo "bundle: the jar has NO CUDA fatbin (nvcc was not found when it was built): --backend cuda and the GPU tests will not run"
fi

# The JUnit console launcher of the same platform version as the test classpath's.
rm -rf "$work" && mkdir -p "$work"
mvn dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/test-classpath.txt"
platform="$(tr ':' '\n' < "$work/test-classpath.txt" | sed -n 's|.*/junit-platform-engine-\([^/]*\)\.jar$|\1|p' | head -1)"
[ -n "$platform" ] || { echo "bundle: no junit-platform-engine on the test classpath" >&2; exit 1; }
mvn dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" -DoutputDirectory="$work"
console="$work/junit-platform-console-standalone-$platform.jar"

rm -rf "$out" "$out.tar.gz"
mkdir -p "$out/app/lib" "$out/test" "$out/bin" "$out/peers" "$out/tools"
cp "$jar" "$out/app/"
cp "$root"/target/lib/*.jar "$out/app/lib/"
cp "$console" "$out/test/junit-platform-console-standalone.jar"
"$JAVA_HOME/bin/jar" cf "$out/test/proxynas-tests.jar" -C "$root/target/test-classes" .
if [ -f "$peer" ]; then
  cp "$peer" "$out/peers/torch_peer.py"
else
  echo "bundle: NO PyTorch peer benchmark at $peer (set PEER=path/to/torch_peer.py): the device check's torch stage will skip"
fi
cp native-build/device-check.sh "$out/device-check"
cp native-build/device_check_table.py "$out/tools/"

modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  "$out"/app/proxynas.jar "$out"/app/lib/*.jar "$out"/test/*.jar)"
# jdk.zipfs: JUnit's class-path scanner reads the test jar through the zip file system (a service jdeps cannot see);
# jdk.incubator.vector: the CPU kernels (added at run time with --add-modules, which jdeps may not report).
modules="$( (echo "$modules" | tr ',' '\n'; echo jdk.zipfs; echo jdk.incubator.vector) | grep -vx 'java.desktop' | sort -u | paste -sd, -)"
echo "bundle: jlink runtime with $modules (java.desktop left out) ..."
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress zip-9 \
  --output "$out/runtime"
# jlink keeps the native libraries' symbol tables (libjvm.so: 30 MB -> 25 MB without them).
if command -v strip >/dev/null; then
  find "$out/runtime" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "bundle: no strip (binutils): native libraries keep their symbol tables"
fi

cat > "$out/bin/proxynas" <<'EOF'
#!/usr/bin/env bash
# ProxyNAS from the bundle: its own Java runtime, the same JVM flags as ./proxynas. PROXYNAS_JAVA_OPTS adds more.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export PROXYNAS_LAUNCHER="${PROXYNAS_LAUNCHER:-$here/bin/proxynas}"   # experiment tasks run through this launcher
exec "$here/runtime/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -XX:MaxRAMPercentage=75 ${PROXYNAS_JAVA_OPTS:-} -jar "$here/app/proxynas.jar" "$@"
EOF
cat > "$out/bin/gpu-tests" <<'EOF'
#!/usr/bin/env bash
# The GPU conformance tests (tag gpu in org.proxynas.cuda: every kernel against the CPU reference) with the JUnit
# console launcher; classes skip themselves, naming the reason, where there is no usable GPU. Arguments go to the
# launcher, e.g. --reports-dir DIR, or --select-class org.proxynas.cuda.GpuConvConformanceTest in place of the package.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cp="$here/test/proxynas-tests.jar:$here/app/proxynas.jar$(printf ':%s' "$here"/app/lib/*.jar)"
select=(--select-package org.proxynas.cuda)
for a in "$@"; do [[ "$a" == --select* ]] && select=(); done
exec "$here/runtime/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -XX:MaxRAMPercentage=75 ${PROXYNAS_JAVA_OPTS:-} \
  -jar "$here/test/junit-platform-console-standalone.jar" execute --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii \
  --class-path "$cp" --include-tag gpu "${select[@]}" "$@"
EOF
chmod +x "$out/bin/proxynas" "$out/bin/gpu-tests" "$out/device-check"

{
  echo "ProxyNAS GPU bundle, built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "runtime: $("$out/runtime/bin/java" -version 2>&1 | head -1); modules $modules"
  echo "fatbin: $("$JAVA_HOME/bin/jar" tf "$jar" | grep -q 'proxynas.fatbin$' && echo "in app/proxynas.jar" || echo "MISSING (no nvcc at build time)")"
  echo
  echo "Needs on the server: x86-64 Linux with glibc, and the NVIDIA driver (libcuda.so.1) for --backend cuda."
  echo "  bin/proxynas info                      what this machine offers (GPU, driver, kernels)"
  echo "  ./device-check                         the device check: info, GPU tests, sanitizers, search, benchmarks"
  echo "  bin/gpu-tests                          only the GPU conformance tests"
  echo "  bin/proxynas search --backend cuda     a search (report charts need a JDK: proxynas report DIR elsewhere)"
} > "$out/README.txt"

tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
size="$(du -sb "$out" | cut -f1)"
echo "bundle: $out: $size bytes ($(( size / 1000000 )) MB of at most $(( limit_bytes / 1000000 )) MB, du -sb);" \
     "$(basename "$out").tar.gz: $(stat -c %s "$out.tar.gz") bytes"
if [ "$size" -gt "$limit_bytes" ]; then
  echo "bundle: FAILED: over the $(( limit_bytes / 1000000 )) MB limit" >&2
  du -sb "$out"/* "$out"/runtime/lib/modules "$out"/runtime/lib/server >&2
  exit 1
fi
