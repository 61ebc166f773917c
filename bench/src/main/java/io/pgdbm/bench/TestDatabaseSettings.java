package io.pgdbm.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the command line of {@link TestDatabaseBenchmark} asked for; every option is {@code --name=value}. */
final class TestDatabaseSettings {

    /** The phases, in run order. */
    static final List<String> PHASES = List.of("setup", "junit", "rollback");

    static final String USAGE = """
            usage: TestDatabaseBenchmark [--help] [options], each --name=value:
              --phases=%s
              setup: a fresh database with the 20 migrations of db/bench_shop, by template clone against running the
                     migrations, sides alternating (ABBA); each timed from nothing to a Pgdbm open on it, then torn down
                --setup-warmup=2     pairs not counted
                --setups=20          pairs measured
              junit: pgdbm-testing's PgdbmTestDatabase itself, driven by JUnit's launcher: a database per test (with a
                     fast test body, and with one that lasts --body), then the rollback mode
                --tests=25           tests measured per run (3 more run first, not counted)
                --body=250           milliseconds the slow test body sleeps: longer than a clone takes
              rollback: one insert in openRollbackScope() ... close(), against the same insert alone (ABBA)
                --rollback-warmup=500  pairs not counted
                --rollbacks=3000       pairs measured
              --out=bench/target/results  where testing.md and testing.json go"""
            .formatted(String.join(",", PHASES));

    List<String> phases = PHASES;
    int setupWarmup = 2;
    int setups = 20;
    int tests = 25;
    int bodyMillis = 250;
    int rollbackWarmup = 500;
    int rollbacks = 3000;
    Path out = Path.of("bench", "target", "results");
    boolean help;

    static TestDatabaseSettings parse(String[] args) {
        TestDatabaseSettings settings = new TestDatabaseSettings();
        settings.help = Options.read(args, (name, value) -> {
            switch (name) {
                case "phases" -> settings.phases = Options.phases(value, PHASES);
                case "setup-warmup" -> settings.setupWarmup = Options.count(name, value, 0);
                case "setups" -> settings.setups = Options.count(name, value, 1);
                case "tests" -> settings.tests = Options.count(name, value, 1);
                case "body" -> settings.bodyMillis = Options.count(name, value, 0);
                case "rollback-warmup" -> settings.rollbackWarmup = Options.count(name, value, 0);
                case "rollbacks" -> settings.rollbacks = Options.count(name, value, 1);
                case "out" -> settings.out = Path.of(value);
                default -> throw Options.unknown(name);
            }
        });
        return settings;
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    String describe() {
        return String.format(Locale.ROOT, "phases %s; setup: %d warm-up + %d measured pairs (clone, migrate), ABBA;"
                + " junit: %d measured tests per run after 3 not counted, slow test body %d ms; rollback: %d warm-up"
                + " + %d measured pairs (alone, in a scope), ABBA.", phases, setupWarmup, setups, tests, bodyMillis,
                rollbackWarmup, rollbacks);
    }
}
