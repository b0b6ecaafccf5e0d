# Shared by bin/maglevd, bin/maglevc and bin/vpp-fake: find a JDK >= 25 and the built jars.
# Sourced, not executed.

MAGLEV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# java_major JDK_DIR -> prints the JDK's major version (e.g. 25), or nothing. Reads the JDK's
# `release` file (no JVM start: maglevc's start-up time counts); falls back to asking java.
java_major() {
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}

# find_jdk: sets JAVA_HOME to a JDK >= 25: $JAVA_HOME if new enough, else the newest
# /usr/lib/jvm/* that is, else exits with a clear error.
find_jdk() {
  local want=25 cand major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then return 0; fi
  fi
  for cand in $(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/* 2>/dev/null | awk '!seen[$0]++'); do
    [ -x "$cand/bin/java" ] || continue
    major=$(java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  echo "error: vpp-maglev needs a JDK >= $want; none found in JAVA_HOME (${JAVA_HOME:-unset}) or /usr/lib/jvm/*." >&2
  echo "       Install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
  exit 127
}

# ensure_built JAR: builds the project (tests skipped) when JAR is missing or MAGLEV_REBUILD=1.
ensure_built() {
  local jar="$1"
  if [ ! -f "$jar" ] || [ "${MAGLEV_REBUILD:-0}" = 1 ]; then
    echo "building vpp-maglev (first use; takes a minute) ..." >&2
    # Maven's output (and the terminal resets it prints even when quiet) only if it fails.
    local out
    if ! out=$(cd "$MAGLEV_TOP" && mvn -B -ntp -q -DskipTests package 2>&1); then
      printf '%s\n' "$out" >&2
      echo "error: build failed; run 'mvn -B -ntp package' in $MAGLEV_TOP to see why" >&2
      exit 1
    fi
  fi
}
