package io.pgdbm.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the command line of {@link MigrationBenchmark} asked for; every option is {@code --name=value}. */
final class MigrationSettings {

    /** The phases, in run order. */
    static final List<String> PHASES = List.of("apply", "check", "jvm");

    static final String USAGE = """
            usage: MigrationBenchmark [--help] [options], each --name=value:
              --migrations=500     generated migrations (one CREATE TABLE each)
              --source=directory   where both sides read them: directory (a filesystem: location, one file each)
                                   or jar (a classpath: location in a jar, as an application ships them)
              --phases=%s
              apply: each side applies every migration into a fresh schema, sides alternating (ABBA)
                --apply-warmup=1   runs per side not counted
                --apply-runs=5     runs per side measured
              check: the no-op start-up check over the applied migrations, warm JVM, sides alternating (ABBA)
                --check-warmup=20  checks per side not counted
                --checks=40        checks per side measured
              jvm: the first no-op check in a fresh JVM, one child JVM per check, sides alternating (ABBA),
                   once with each side opening its own connection and once with a pool given
                --jvms=8           child JVMs per side and connection mode (one more per side runs first, not counted)
              --out=bench/target/results  where migrations-<source>.md and .json go"""
            .formatted(String.join(",", PHASES));

    int migrations = 500;
    String source = "directory";
    List<String> phases = PHASES;
    int applyWarmup = 1;
    int applyRuns = 5;
    int checkWarmup = 20;
    int checks = 40;
    int jvms = 8;
    Path out = Path.of("bench", "target", "results");
    boolean help;

    static MigrationSettings parse(String[] args) {
        MigrationSettings settings = new MigrationSettings();
        settings.help = Options.read(args, (name, value) -> {
            switch (name) {
                case "migrations" -> settings.migrations = Options.count(name, value, 1);
                case "phases" -> settings.phases = Options.phases(value, PHASES);
                case "source" -> settings.source = source(value);
                case "apply-warmup" -> settings.applyWarmup = Options.count(name, value, 0);
                case "apply-runs" -> settings.applyRuns = Options.count(name, value, 1);
                case "check-warmup" -> settings.checkWarmup = Options.count(name, value, 0);
                case "checks" -> settings.checks = Options.count(name, value, 1);
                case "jvms" -> settings.jvms = Options.count(name, value, 1);
                case "out" -> settings.out = Path.of(value);
                default -> throw Options.unknown(name);
            }
        });
        return settings;
    }

    boolean fromJar() {
        return source.equals("jar");
    }

    boolean runs(String phase) {
        return phases.contains(phase);
    }

    private static String source(String value) {
        if (!value.equals("directory") && !value.equals("jar")) {
            throw new IllegalArgumentException("--source must be directory or jar, not '" + value + "'");
        }
        return value;
    }

    String describe() {
        return String.format(Locale.ROOT, "%d generated migrations, read from a %s; phases %s; apply: %d warm-up"
                + " + %d measured runs per side; check: %d warm-up + %d measured checks per side; jvm: 1 warm-up + %d"
                + " measured child JVMs per side and connection mode; sides alternate ABBA throughout.", migrations,
                fromJar() ? "jar on the class path" : "directory", phases, applyWarmup, applyRuns, checkWarmup,
                checks, jvms);
    }
}
