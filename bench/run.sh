#!/usr/bin/env bash
# Runs the pgdbm-vs-raw-JDBC benchmarks and prints the ratio table (see docs/benchmarks.md).
#
#   bench/run.sh                          # both phases, about 5 minutes on 2 cores
#   bench/run.sh --rounds=3               # three JMH rounds (ABBA) instead of one
#   bench/run.sh --pairs=pointSelect,insertReturningId --slices=200
#   PGDBM_BENCH_URL='jdbc:postgresql://db:5432/bench?user=u&password=p' bench/run.sh   # an existing server
#
# Options, all --name=value: --pairs --slices --slice-time --interleaved-warmup (interleaved phase),
# --rounds --warmup-iterations --warmup-time --iterations --time (JMH phase), --out; --rebuild forces a build.
# Builds bench/target/benchmarks.jar first when it is missing or older than the sources.
# Writes the JMH JSON of every round, summary.md and summary.json to bench/target/results (or --out).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="bench/target/benchmarks.jar"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

rebuild=false
args=()
for arg in "$@"; do
    if [[ "$arg" == "--rebuild" ]]; then rebuild=true; else args+=("$arg"); fi
done

stale() {
    [[ -n "$(find pom.xml api core extension testing bench -name target -prune -o -newer "$jar" \
        \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -print -quit)" ]]
}
if $rebuild || [[ ! -f "$jar" ]] || stale; then
    echo "Building $jar ..."
    mvn -B -q -pl bench -am package -DskipTests
fi

exec "$java_cmd" -cp "$jar" io.pgdbm.bench.BenchmarkSuite ${args[@]+"${args[@]}"}
