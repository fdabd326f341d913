# Sourced by ./proxynas and .ci/run: exports JAVA_HOME for a JDK >= 22 (the foreign-function API is final there).
# Order: $JAVA_HOME if new enough, then JDKs under /usr/lib/jvm (newest first), then java on PATH.
proxynas_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
proxynas_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
              "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    cand="${cand%/}"
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major="$(proxynas_jdk_major "$cand")"
    if [ -n "$major" ] && [ "$major" -ge 22 ]; then echo "$cand"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME="$(proxynas_find_jdk)"; then
  cat >&2 <<'MSG'
proxynas: no JDK 22 or newer found (checked $JAVA_HOME, /usr/lib/jvm/*, java on PATH).
Install JDK 25, for example:
  Debian/Ubuntu with Adoptium's repository:  apt-get install temurin-25-jdk
  or any JDK 25 tarball, then:              export JAVA_HOME=/path/to/jdk-25
MSG
  exit 1
fi
export JAVA_HOME
# Maven 3.9's Guice calls sun.misc.Unsafe; JDK 24+ warns about it on every build. Allow it quietly where the flag exists.
if [ "$(proxynas_jdk_major "$JAVA_HOME")" -ge 23 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
