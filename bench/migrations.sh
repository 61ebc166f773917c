#!/usr/bin/env bash
# Runs the migration benchmark, pgdbm's migrator against Flyway 13, and prints the table (see docs/benchmarks.md).
#
#   bench/migrations.sh                       # all three phases, files in a directory, about 2 minutes on 2 cores
#   bench/migrations.sh --source=jar          # the same with the files in a jar on the class path
#   bench/migrations.sh --phases=jvm --jvms=16
#   PGDBM_BENCH_URL='jdbc:postgresql://db:5432/bench?user=u&password=p' bench/migrations.sh   # an existing server
#
# Options, all --name=value: --migrations --source --phases --apply-warmup --apply-runs --check-warmup --checks
# --jvms --out; --rebuild forces a build; --help lists them.
# Builds bench/target/benchmarks.jar first when it is missing or older than the sources.
# Writes migrations-<source>.md and migrations-<source>.json to bench/target/results (or --out).
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

exec "$java_cmd" -cp "$jar" io.pgdbm.bench.MigrationBenchmark ${args[@]+"${args[@]}"}
