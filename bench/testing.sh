#!/usr/bin/env bash
# Measures what pgdbm-testing costs per test and prints the tables (see docs/benchmarks.md): a fresh database with
# 20 migrations by template clone against running the migrations, PgdbmTestDatabase itself through JUnit (a database
# per test, the clone made ahead or not; the rollback mode), and an insert in a rollback scope against the insert alone.
#
#   bench/testing.sh                          # all three phases, about 1 minute on 2 cores
#   bench/testing.sh --phases=setup --setups=40
#   PGDBM_TEST_URL='jdbc:postgresql://db:5432/postgres?user=u&password=p' bench/testing.sh   # an existing server
#
# Options, all --name=value: --phases --setup-warmup --setups --tests --body --rollback-warmup --rollbacks --out;
# --rebuild forces a build; --help lists them.
# Builds bench/target/benchmarks.jar first when it is missing or older than the sources.
# Writes testing.md and testing.json to bench/target/results (or --out).
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

exec "$java_cmd" -Xms2g -Xmx2g -cp "$jar" io.pgdbm.bench.TestDatabaseBenchmark ${args[@]+"${args[@]}"}
