package io.pgdbm.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * pgdbm's migrator against Flyway 13 on the same server, in the same run ({@code bench/migrations.sh}), on
 * {@link GeneratedMigrations}: files that each create one empty table, so what is measured is the tools' own work per
 * file and per check, not the server's DDL. Three measurements, the sides alternating in ABBA order in each:
 *
 * <ol>
 *   <li><b>apply</b>: every migration into a fresh schema (dropped before each run, outside the timer).</li>
 *   <li><b>check</b>: the no-op start-up check over all of them, already applied, in a warm JVM: what every boot of
 *       an application pays, without the JVM's start-up.</li>
 *   <li><b>jvm</b>: the same check as the first call of a fresh JVM ({@link FirstMigrationCheck}), which is what a
 *       boot really pays; once with each side opening its own connection from the URL, once borrowing a pool that is
 *       already open. With their own connection both pay for loading pgjdbc and connecting, so a third child JVM
 *       measures that floor: pgjdbc alone, connecting and running {@code SELECT 1}.</li>
 * </ol>
 *
 * <p>Every timed call starts from scratch, as a boot does: pgdbm wraps the DataSource, makes the module, resolves the
 * files and runs a new {@code Migrator}; Flyway is configured, loaded and run. In the first two phases both sides
 * borrow one HikariCP pool whose connections are open. Both read the files from a directory, or with
 * {@code --source=jar} from a jar on the class path. Results: {@code migrations-<source>.md} and
 * {@code migrations-<source>.json} in {@code --out}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pgdbm.bench.MigrationBenchmark --apply-runs=5 --checks=40 --jvms=8
 * </pre>
 */
public final class MigrationBenchmark {

    static final String APPLY_PGDBM = "bench_apply_pgdbm";
    static final String APPLY_FLYWAY = "bench_apply_flyway";
    static final String CHECK_PGDBM = "bench_check_pgdbm";
    static final String CHECK_FLYWAY = "bench_check_flyway";
    private static final List<String> SCHEMAS = List.of(APPLY_PGDBM, APPLY_FLYWAY, CHECK_PGDBM, CHECK_FLYWAY);
    /** Both tools log a line per applied file; a thousand lines per apply run would bury the results. */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private MigrationBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        MigrationSettings settings;
        try {
            settings = MigrationSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(MigrationSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help) {
            System.out.println(MigrationSettings.USAGE);
            return;
        }
        try (BenchServer server = BenchServer.startOrConnect();
                GeneratedMigrations migrations = GeneratedMigrations.write(settings.migrations);
                URLClassLoader jarLoader = new URLClassLoader(new URL[] {migrations.jar().toUri().toURL()},
                        MigrationBenchmark.class.getClassLoader());
                HikariDataSource pool = BenchPool.open(server.url(), 4)) {
            Sources sources = new Sources(migrations, settings.fromJar(),
                    settings.fromJar() ? jarLoader : MigrationBenchmark.class.getClassLoader());
            Machine machine = Machine.describe(server);
            System.out.println(machine.describe());
            System.out.println(settings.describe());
            TimingReport report = new TimingReport("pgdbm", "Flyway", false);
            long started = System.nanoTime();
            for (String schema : SCHEMAS) {
                dropSchema(pool, schema);
            }
            if (settings.runs("apply")) {
                apply(settings, pool, sources, report);
            }
            if (settings.runs("check") || settings.runs("jvm")) {
                prepareChecks(pool, sources);
            }
            if (settings.runs("check")) {
                check(settings, pool, sources, report);
            }
            if (settings.runs("jvm")) {
                for (String connection : List.of("own", "pool")) {
                    firstCheckInFreshJvms(settings, server, sources, connection, report);
                }
            }
            for (String schema : SCHEMAS) {
                dropSchema(pool, schema);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            String table = report.render();
            System.out.println();
            System.out.println(table);
            System.out.printf(Locale.ROOT, "Done in %dm%02ds; results in %s%n", seconds / 60, seconds % 60,
                    settings.out);
            String name = "migrations-" + settings.source;
            writeText(settings.out.resolve(name + ".md"), machine.describe() + "\n\n" + settings.describe()
                    + "\n\n" + table);
            writeText(settings.out.resolve(name + ".json"), report.json(machine, settings.describe()));
        }
    }

    /** Phase 1: all migrations into a fresh schema. */
    private static void apply(MigrationSettings settings, DataSource pool, Sources sources, TimingReport report) {
        int files = sources.migrations.count();
        List<Double> pgdbm = new ArrayList<>();
        List<Double> flyway = new ArrayList<>();
        int total = settings.applyWarmup + settings.applyRuns;
        for (int run = 0; run < total; run++) {
            double pgdbmMillis = Double.NaN;
            double flywayMillis = Double.NaN;
            for (String side : order(run)) {
                if (side.equals("pgdbm")) {
                    freshSchema(pool, APPLY_PGDBM);
                    pgdbmMillis = timed(files, () -> PgdbmMigrations.migrate(pool, APPLY_PGDBM, sources.pgdbm(),
                            sources.loader));
                } else {
                    freshSchema(pool, APPLY_FLYWAY);
                    flywayMillis = timed(files, () -> FlywayMigrations.migrate(pool, APPLY_FLYWAY, sources.flyway(),
                            sources.loader));
                }
            }
            boolean warmup = run < settings.applyWarmup;
            report.sampleLoad();
            if (!warmup) {
                pgdbm.add(pgdbmMillis);
                flyway.add(flywayMillis);
            }
            System.out.printf(Locale.ROOT, "apply  run %d/%d%s  pgdbm %,9.1f ms  Flyway %,9.1f ms  Flyway/pgdbm %.2f%n",
                    run + 1, total, warmup ? " (warm-up)" : "", pgdbmMillis, flywayMillis, flywayMillis / pgdbmMillis);
        }
        for (String schema : List.of(APPLY_PGDBM, APPLY_FLYWAY)) {
            dropSchema(pool, schema);
        }
        report.add("apply", "Apply " + files + " migrations into a fresh schema", pgdbm, flyway,
                report.fasterBy(2));
    }

    /** Applies everything once into the schemas the start-up checks read, and checks that it is all there. */
    private static void prepareChecks(DataSource pool, Sources sources) {
        int files = sources.migrations.count();
        timed(files, () -> PgdbmMigrations.migrate(pool, CHECK_PGDBM, sources.pgdbm(), sources.loader));
        timed(files, () -> FlywayMigrations.migrate(pool, CHECK_FLYWAY, sources.flyway(), sources.loader));
        requireTables(pool, CHECK_PGDBM, files);
        requireTables(pool, CHECK_FLYWAY, files);
    }

    /** Phase 2: the no-op start-up check in a warm JVM. */
    private static void check(MigrationSettings settings, DataSource pool, Sources sources, TimingReport report) {
        int files = sources.migrations.count();
        Runnable pgdbmCheck = () -> PgdbmMigrations.checkWith(pool, CHECK_PGDBM, sources.pgdbm(), sources.loader,
                files);
        Runnable flywayCheck = () -> FlywayMigrations.checkWith(pool, CHECK_FLYWAY, sources.flyway(),
                sources.loader);
        for (int i = 0; i < settings.checkWarmup; i++) {
            pgdbmCheck.run();
            flywayCheck.run();
        }
        List<Double> pgdbm = new ArrayList<>();
        List<Double> flyway = new ArrayList<>();
        for (int i = 0; i < settings.checks; i++) {
            double pgdbmMillis = Double.NaN;
            double flywayMillis = Double.NaN;
            for (String side : order(i)) {
                if (side.equals("pgdbm")) {
                    pgdbmMillis = timed(pgdbmCheck);
                } else {
                    flywayMillis = timed(flywayCheck);
                }
            }
            pgdbm.add(pgdbmMillis);
            flyway.add(flywayMillis);
            if (i % 10 == 0) {
                report.sampleLoad();
            }
        }
        System.out.printf(Locale.ROOT, "check  %d checks per side after %d warm-up  pgdbm median %,.1f ms  Flyway"
                + " median %,.1f ms%n", settings.checks, settings.checkWarmup, TimingReport.median(pgdbm),
                TimingReport.median(flyway));
        report.add("check", "No-op start-up check over " + files + " applied, warm JVM", pgdbm, flyway,
                report.fasterBy(5));
    }

    /** Phase 3: the no-op start-up check as the first call of a fresh JVM, one child JVM per check. */
    private static void firstCheckInFreshJvms(MigrationSettings settings, BenchServer server, Sources sources,
            String connection, TimingReport report)
            throws IOException, InterruptedException {
        List<Double> pgdbm = new ArrayList<>();
        List<Double> flyway = new ArrayList<>();
        List<Double> pgdbmProcess = new ArrayList<>();
        List<Double> flywayProcess = new ArrayList<>();
        List<Double> jdbc = new ArrayList<>();
        boolean own = connection.equals("own");
        for (int i = -1; i < settings.jvms; i++) {
            double[] pgdbmMillis = null;
            double[] flywayMillis = null;
            for (String side : order(i + 1)) {
                double[] measured = childJvm(server, sources, side, connection);
                if (side.equals("pgdbm")) {
                    pgdbmMillis = measured;
                } else {
                    flywayMillis = measured;
                }
            }
            double jdbcMillis = own ? childJvm(server, sources, "jdbc", connection)[0] : Double.NaN;
            report.sampleLoad();
            if (i >= 0) {
                jdbc.add(jdbcMillis);
                pgdbm.add(pgdbmMillis[0]);
                flyway.add(flywayMillis[0]);
                pgdbmProcess.add(pgdbmMillis[1]);
                flywayProcess.add(flywayMillis[1]);
            }
            System.out.printf(Locale.ROOT, "jvm    %-4s %d/%d%s  first check: pgdbm %,7.1f ms  Flyway %,7.1f ms;"
                    + "  whole child JVM: pgdbm %,7.1f ms  Flyway %,7.1f ms%s%n", connection, i + 2, settings.jvms + 1,
                    i < 0 ? " (warm-up)" : "", pgdbmMillis[0], flywayMillis[0], pgdbmMillis[1], flywayMillis[1],
                    own ? String.format(Locale.ROOT, ";  pgjdbc connect + SELECT 1: %,7.1f ms", jdbcMillis) : "");
        }
        String how = connection.equals("own") ? "each opening its own connection from the URL"
                : "borrowing an open pool";
        report.add("firstCheck_" + connection, "First no-op check in a fresh JVM, " + how, pgdbm, flyway,
                report.firstWithin(200));
        report.add("process_" + connection, "Whole child JVM, start to exit (" + how + ")", pgdbmProcess,
                flywayProcess, null);
        if (own) {
            report.addReference("firstConnect", "pgjdbc alone in a fresh JVM: DriverManager.getConnection + SELECT 1"
                    + " (the floor under the first row)", jdbc);
        }
    }

    /** Runs one {@link FirstMigrationCheck}; returns the milliseconds it reports and those of the whole process. */
    private static double[] childJvm(BenchServer server, Sources sources, String side, String connection)
            throws IOException, InterruptedException {
        boolean pgdbm = !side.equals("flyway");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(BenchmarkSuite.CHILD_JVM_ARGS);
        command.add("-D" + LOG_LEVEL_PROPERTY + "=" + System.getProperty(LOG_LEVEL_PROPERTY));
        command.add("-cp");
        command.add(System.getProperty("java.class.path")
                + (sources.fromJar ? File.pathSeparator + sources.migrations.jar() : ""));
        command.add(FirstMigrationCheck.class.getName());
        command.add(side);
        command.add(connection);
        command.add(server.url());
        command.add(pgdbm ? CHECK_PGDBM : CHECK_FLYWAY);
        command.add(pgdbm ? sources.pgdbm() : sources.flyway());
        command.add(Integer.toString(sources.migrations.count()));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String resultLine = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    resultLine = line;
                } else {
                    System.out.println(line);
                }
            }
        }
        int exit = process.waitFor();
        double processMillis = (System.nanoTime() - started) / 1e6;
        if (exit != 0 || resultLine == null) {
            throw new IllegalStateException("The fresh-JVM check of " + side + " (" + connection + ") failed (exit"
                    + " code " + exit + "); its errors are above");
        }
        String millis = resultLine.substring(resultLine.indexOf("millis=") + "millis=".length()).trim();
        return new double[] {Double.parseDouble(millis), processMillis};
    }

    /**
     * Where the two sides read the generated files: the directories, or the jar through {@code loader} (in a child
     * JVM, the jar is on the class path instead).
     */
    private record Sources(GeneratedMigrations migrations, boolean fromJar, ClassLoader loader) {

        String pgdbm() {
            return migrations.pgdbmLocation(fromJar);
        }

        String flyway() {
            return migrations.flywayLocation(fromJar);
        }
    }

    /** ABBA: pgdbm first in even pairs, Flyway first in odd ones, so a drift of the machine favours neither. */
    private static List<String> order(int pair) {
        return pair % 2 == 0 ? List.of("pgdbm", "flyway") : List.of("flyway", "pgdbm");
    }

    /** Milliseconds one migration run took; fails unless it applied {@code expected} files. */
    private static double timed(int expected, Migration migration) {
        long started = System.nanoTime();
        int applied = migration.run();
        double millis = (System.nanoTime() - started) / 1e6;
        if (applied != expected) {
            throw new IllegalStateException("expected " + expected + " migrations to be applied, not " + applied);
        }
        return millis;
    }

    private static double timed(Runnable check) {
        long started = System.nanoTime();
        check.run();
        return (System.nanoTime() - started) / 1e6;
    }

    @FunctionalInterface
    private interface Migration {
        /** Returns how many files were applied. */
        int run();
    }

    /**
     * Drops the schema, then vacuums the catalogs: the benchmark server runs without autovacuum, and thousands of
     * dropped tables' dead catalog rows would otherwise slow every later run a little more.
     */
    private static void freshSchema(DataSource pool, String schema) {
        dropSchema(pool, schema);
        execute(pool, "VACUUM pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_type, pg_catalog.pg_depend,"
                + " pg_catalog.pg_namespace, pg_catalog.pg_index, pg_catalog.pg_constraint, pg_catalog.pg_sequence");
    }

    private static void dropSchema(DataSource pool, String schema) {
        execute(pool, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    private static void requireTables(DataSource pool, String schema, int expected) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
                        + "' AND tablename LIKE 't\\_%'")) {
            rows.next();
            if (rows.getInt(1) != expected) {
                throw new IllegalStateException("schema " + schema + " has " + rows.getInt(1) + " generated tables, "
                        + "not " + expected);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count the tables of " + schema + ": " + e.getMessage(), e);
        }
    }

    private static void execute(DataSource pool, String sql) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Benchmark set-up failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
