#!/usr/bin/env bash
# maglevc one-shot start-up benchmark (docs/performance.md, "maglevc start-up").
#
# Starts the fake maglevd of the tests as its own JVM on a loopback port, then times
# `maglevc show frontends` N times (default 21) for each variant, interleaved so that load from
# other processes hits all variants alike, and prints median / min / max wall time and median CPU
# time (user + sys) per variant, with the load average. Needs `mvn -pl maglevc -am package`
# (with tests compiled: not -Dmaven.test.skip) first. BEFORE_JAR=path/to/an/older/maglevc.jar adds
# that build, run as the original launcher did (java --enable-native-access=ALL-UNNAMED -jar).
#
#   maglevc/src/test/sh/startup-bench.sh [N]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
. "$top/bin/lib/common.sh"
find_jdk
java="$JAVA_HOME/bin/java"
target="$top/maglevc/target"
n=${1:-21}
[ -f "$target/maglevc.jar" ] && [ -d "$target/test-classes" ] || {
  echo "build first: mvn -B -ntp -pl maglevc -am package" >&2; exit 1; }

out=$(mktemp); trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
"$java" -XX:+UseSerialGC -cp "$target/test-classes:$target/maglevc.jar" dev.vppmaglev.cli.FakeServer >"$out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q '^listening ' "$out" && break; sleep 0.1; done
addr=$(awk '/^listening /{print $2}' "$out")
[ -n "$addr" ] || { echo "fake server did not start: $(cat "$out")" >&2; exit 1; }

variants=(
  "java -jar (JVM defaults, no AOT cache)|$java -jar $target/maglevc.jar"
  "java @maglevc.jvm-options (no AOT cache)|$java @$top/maglevc/src/main/dist/maglevc.jvm-options -cp $target/maglevc.jar dev.vppmaglev.cli.Main"
  "bin/maglevc (JVM options + AOT cache)|$top/bin/maglevc"
)
if [ -n "${BEFORE_JAR:-}" ]; then
  variants=("before (BEFORE_JAR, original launcher)|$java --enable-native-access=ALL-UNNAMED -jar $BEFORE_JAR" "${variants[@]}")
fi
declare -A wall cpu
TIMEFORMAT="%3R %3U %3S"
for _ in $(seq "$n"); do
  for v in "${variants[@]}"; do
    name=${v%%|*}; cmd=${v#*|}
    read -r w u s < <({ time $cmd --server "$addr" show frontends >/dev/null 2>&1; } 2>&1)
    wall[$name]+="$(awk -v x="$w" 'BEGIN{printf "%d", x*1000}') "
    cpu[$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}') "
  done
done
stats() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "median %4d ms  min %4d  max %4d", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "maglevc show frontends, $n runs each, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "${variants[@]}"; do
  name=${v%%|*}
  printf '  %-44s wall %s  cpu median %s ms\n' "$name" "$(echo "${wall[$name]}" | stats)" \
    "$(echo "${cpu[$name]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
