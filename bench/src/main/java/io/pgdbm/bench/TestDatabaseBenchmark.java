package io.pgdbm.bench;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.RollbackScope;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.testing.PgdbmTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What a test pays for its database with pgdbm-testing ({@code bench/testing.sh}), on the server the tests use,
 * {@link PgdbmTestServer#shared()}, for a module with the 20 migrations of {@code db/bench_shop} (tables with a few
 * columns, foreign keys, indexes, checks; some later files alter earlier tables). Three phases:
 *
 * <ol>
 *   <li><b>setup</b>: a fresh migrated database, two ways, in ABBA pairs. <i>Clone</i>: {@code CREATE DATABASE x
 *       TEMPLATE t} of a database migrated once before, then {@code Pgdbm.create} on it, which is what
 *       {@code PgdbmTestDatabase} does when no clone was made ahead. <i>Migrate</i>: {@code CREATE DATABASE x},
 *       {@code Pgdbm.create}, the 20 files resolved from the class path and {@code Migrator.migrate()}. The timer runs
 *       from nothing to the open {@code Pgdbm} (each CREATE DATABASE on a connection of its own, as
 *       {@code PgdbmTestServer} sends it); the tear-down (close it, {@code DROP DATABASE ... WITH (FORCE)}) is timed
 *       apart.</li>
 *   <li><b>junit</b>: {@code PgdbmTestDatabase} itself, through JUnit's launcher ({@link ExtensionTimings}), in
 *       per-method mode with a fast test body and with one that lasts longer than a clone (so the clone it makes
 *       ahead is ready), then in rollback mode.</li>
 *   <li><b>rollback</b>: {@code openRollbackScope()}, one insert, {@code close()}, against the same insert alone, in
 *       ABBA pairs, on one cloned database.</li>
 * </ol>
 *
 * <p>Results: {@code testing.md} and {@code testing.json} in {@code --out}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pgdbm.bench.TestDatabaseBenchmark --setups=20 --tests=25
 * </pre>
 */
public final class TestDatabaseBenchmark {

    static final String MODULE = "shop";
    /** The class path folder of the 20 migrations. */
    static final String MIGRATIONS = "db/bench_shop";
    static final int MIGRATION_COUNT = 20;
    /** Runs of the junit phase start with this many tests that are not counted. */
    static final int JUNIT_WARMUP = 3;

    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String INSERT = "INSERT INTO {{tables.customers}} (email, display_name) VALUES (?, ?)";

    private final PgdbmTestServer server;
    private int versionNumber;
    /** The database the CREATE and DROP DATABASE statements are sent from: one of the server's own scratch ones. */
    private final String adminDatabase;
    private final String template;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private int databases;
    private long customers;

    private TestDatabaseBenchmark(PgdbmTestServer server, String adminDatabase, String template) {
        this.server = server;
        this.adminDatabase = adminDatabase;
        this.template = template;
    }

    public static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // HikariCP logs two lines per pool at info, and every test opens one.
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        TestDatabaseSettings settings;
        try {
            settings = TestDatabaseSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(TestDatabaseSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help) {
            System.out.println(TestDatabaseSettings.USAGE);
            return;
        }
        PgdbmTestServer server = PgdbmTestServer.shared();
        try (PgdbmTestServer.Database admin = server.newDatabase();
                PgdbmTestServer.Database template = server.newDatabase()) {
            TestDatabaseBenchmark bench = new TestDatabaseBenchmark(server, admin.name(), template.name());
            try {
                bench.run(settings);
            } finally {
                bench.dropLeftovers();
            }
        }
    }

    private void run(TestDatabaseSettings settings) {
        Machine machine = Machine.describe(serverVersion(), server.isEmbedded()
                ? "embedded (pgdbm-testing's PgdbmTestServer), same machine" : "external (" + PgdbmTestServer.URL_ENV
                + ")");
        System.out.println(machine.describe());
        System.out.println(settings.describe());
        long started = System.nanoTime();
        migrateTemplate();
        TimingReport setup = new TimingReport("clone", "migrate", false);
        TimingReport junit = new TimingReport("clone", "migrate", false);
        TimingReport rollback = new TimingReport("alone", "scope", true);
        if (settings.runs("setup")) {
            setup(settings, setup);
        }
        if (settings.runs("junit")) {
            junit(settings, junit);
        }
        if (settings.runs("rollback")) {
            rollback(settings, rollback);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String text = "### A fresh migrated database per test: template clone against migrations\n\n" + setup.render()
                + "\n### Through PgdbmTestDatabase (JUnit)\n\n" + junit.render()
                + "\n### Rollback mode: an insert in a rollback scope against the insert alone\n\n"
                + rollback.render();
        System.out.println();
        System.out.println(text);
        System.out.printf(Locale.ROOT, "Done in %dm%02ds; results in %s%n", seconds / 60, seconds % 60, settings.out);
        writeText(settings.out.resolve("testing.md"), machine.describe() + "\n\n" + settings.describe() + "\n\n"
                + text);
        writeText(settings.out.resolve("testing.json"), "{\n\"setup\": " + setup.json(machine, settings.describe())
                + ",\n\"junit\": " + junit.json(machine, settings.describe()) + ",\n\"rollback\": "
                + rollback.json(machine, settings.describe()) + "}\n");
    }

    // ---- setup: clone against migrate -----------------------------------------------------------------------------

    /** One fresh database, in milliseconds: ready in total, and its steps; then the tear-down. */
    private record Setup(double ready, double create, double open, double migrate, double tearDown) {

        double perTest() {
            return ready + tearDown;
        }
    }

    private void setup(TestDatabaseSettings settings, TimingReport report) {
        List<Setup> clones = new ArrayList<>();
        List<Setup> migrations = new ArrayList<>();
        int total = settings.setupWarmup + settings.setups;
        for (int pair = 0; pair < total; pair++) {
            Setup clone = null;
            Setup migrate = null;
            // ABBA: the clone first in even pairs, the migrations first in odd ones.
            for (boolean cloneSide : pair % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (cloneSide) {
                    clone = cloneSynchronously();
                } else {
                    migrate = migrateEachTime();
                }
            }
            boolean warmup = pair < settings.setupWarmup;
            report.sampleLoad();
            if (!warmup) {
                clones.add(clone);
                migrations.add(migrate);
            }
            System.out.printf(Locale.ROOT, "setup  pair %d/%d%s  clone %,6.1f ms (+ tear-down %,5.1f)  migrate %,6.1f ms"
                    + " (+ tear-down %,5.1f)  migrate/clone %.2f%n", pair + 1, total, warmup ? " (warm-up)" : "",
                    clone.ready, clone.tearDown, migrate.ready, migrate.tearDown, migrate.ready / clone.ready);
        }
        String files = MIGRATION_COUNT + " migrations";
        report.add("ready", "Ready: from nothing to a Pgdbm open on a fresh database with the " + files,
                millis(clones, Setup::ready), millis(migrations, Setup::ready), report.fasterBy(1));
        report.add("tearDown", "Tear-down: Pgdbm closed, DROP DATABASE ... WITH (FORCE)",
                millis(clones, Setup::tearDown), millis(migrations, Setup::tearDown), null);
        report.add("perTest", "Per test: ready + tear-down", millis(clones, Setup::perTest),
                millis(migrations, Setup::perTest), report.fasterBy(1));
        report.addReference("cloneCreate", "clone: CREATE DATABASE ... TEMPLATE (on a new admin connection)",
                millis(clones, Setup::create));
        report.addReference("cloneOpen", "clone: Pgdbm.create (start-up check, pool, first connection) + module",
                millis(clones, Setup::open));
        report.addReference("migrateCreate", "migrate: CREATE DATABASE (on a new admin connection)",
                millis(migrations, Setup::create));
        report.addReference("migrateOpen", "migrate: Pgdbm.create + module", millis(migrations, Setup::open));
        report.addReference("migrateMigrate", "migrate: resolve the " + files + " from the class path, migrate()",
                millis(migrations, Setup::migrate));
    }

    /** What {@code PgdbmTestDatabase} does for a test when no clone was made ahead. */
    private Setup cloneSynchronously() {
        String database = nextName();
        long started = System.nanoTime();
        createDatabase(database, template);
        long created = System.nanoTime();
        Pgdbm pgdbm = open(database);
        long ready = System.nanoTime();
        requireMigrated(pgdbm.findModule(MODULE).orElseThrow());
        return new Setup(millisSince(started, ready), millisSince(started, created), millisSince(created, ready), 0,
                tearDown(pgdbm, database));
    }

    /** What a test would do without a template: an empty database, migrated. */
    private Setup migrateEachTime() {
        String database = nextName();
        long started = System.nanoTime();
        createDatabase(database, null);
        long created = System.nanoTime();
        Pgdbm pgdbm = open(database);
        long opened = System.nanoTime();
        MigrationResult result = migrate(pgdbm);
        long ready = System.nanoTime();
        if (result.applied().size() != MIGRATION_COUNT) {
            throw new IllegalStateException("expected " + MIGRATION_COUNT + " migrations to be applied, not "
                    + result.applied().size());
        }
        return new Setup(millisSince(started, ready), millisSince(started, created), millisSince(created, opened),
                millisSince(opened, ready), tearDown(pgdbm, database));
    }

    private double tearDown(Pgdbm pgdbm, String database) {
        long started = System.nanoTime();
        pgdbm.close();
        dropDatabase(database);
        return millisSince(started, System.nanoTime());
    }

    // ---- junit: PgdbmTestDatabase itself --------------------------------------------------------------------------

    private void junit(TestDatabaseSettings settings, TimingReport report) {
        int runs = settings.tests + JUNIT_WARMUP;
        List<ExtensionTimings.TestTiming> fast = counted(ExtensionTimings.run(ExtensionTimings.PerTestDatabase.class,
                runs, 0));
        report.sampleLoad();
        print("per-method, fast body", fast);
        List<ExtensionTimings.TestTiming> slow = counted(ExtensionTimings.run(ExtensionTimings.PerTestDatabase.class,
                runs, settings.bodyMillis));
        report.sampleLoad();
        print("per-method, " + settings.bodyMillis + " ms body", slow);
        List<ExtensionTimings.TestTiming> rolledBack = counted(ExtensionTimings.run(
                ExtensionTimings.RollbackMode.class, runs, 0));
        report.sampleLoad();
        print("rollback mode", rolledBack);

        String fastTest = "per-method mode, fast test (the body inserts a row and counts): ";
        report.addReference("fastBeforeEach", fastTest + "beforeEach (take the clone made ahead, its Pgdbm open)",
                timings(fast, ExtensionTimings.TestTiming::beforeEach));
        report.addReference("fastAfterEach", fastTest + "afterEach (hand close and DROP to the drop thread)",
                timings(fast, ExtensionTimings.TestTiming::afterEach));
        report.addReference("fastPerTest", fastTest + "per test, beforeEach + afterEach",
                timings(fast, ExtensionTimings.TestTiming::perTest), "≤ 100 ms", 100);
        String slowTest = "per-method mode, the body also sleeps " + settings.bodyMillis + " ms (the clone is ready): ";
        report.addReference("slowBeforeEach", slowTest + "beforeEach",
                timings(slow, ExtensionTimings.TestTiming::beforeEach));
        report.addReference("slowAfterEach", slowTest + "afterEach",
                timings(slow, ExtensionTimings.TestTiming::afterEach));
        report.addReference("slowPerTest", slowTest + "per test, beforeEach + afterEach",
                timings(slow, ExtensionTimings.TestTiming::perTest), "≤ 100 ms", 100);
        String rollbackTest = "rollback mode: ";
        report.addReference("rollbackBeforeEach", rollbackTest + "beforeEach (openRollbackScope)",
                timings(rolledBack, ExtensionTimings.TestTiming::beforeEach));
        report.addReference("rollbackAfterEach", rollbackTest + "afterEach (roll back)",
                timings(rolledBack, ExtensionTimings.TestTiming::afterEach));
        report.addReference("rollbackPerTest", rollbackTest + "per test, beforeEach + afterEach",
                timings(rolledBack, ExtensionTimings.TestTiming::perTest), "≤ 5 ms", 5);
        report.addReference("rollbackBody", rollbackTest + "the test body (insert, count) in the scope",
                timings(rolledBack, ExtensionTimings.TestTiming::body));
        report.addReference("fastBody", "per-method mode: the same test body on its own database",
                timings(fast, ExtensionTimings.TestTiming::body));
    }

    private static List<ExtensionTimings.TestTiming> counted(List<ExtensionTimings.TestTiming> all) {
        return all.subList(Math.min(JUNIT_WARMUP, all.size()), all.size());
    }

    private static void print(String what, List<ExtensionTimings.TestTiming> tests) {
        System.out.printf(Locale.ROOT, "junit  %-24s %d tests  beforeEach median %,6.2f ms  afterEach median %,6.2f"
                + " ms  body median %,6.2f ms%n", what, tests.size(),
                TimingReport.median(timings(tests, ExtensionTimings.TestTiming::beforeEach)),
                TimingReport.median(timings(tests, ExtensionTimings.TestTiming::afterEach)),
                TimingReport.median(timings(tests, ExtensionTimings.TestTiming::body)));
    }

    // ---- rollback: an insert in a rollback scope against the insert alone ---------------------------------------

    private void rollback(TestDatabaseSettings settings, TimingReport report) {
        String database = nextName();
        createDatabase(database, template);
        Pgdbm pgdbm = open(database);
        try {
            ModuleDatabase shop = pgdbm.findModule(MODULE).orElseThrow();
            Runnable alone = () -> insertCustomer(shop);
            Runnable scoped = () -> {
                try (RollbackScope scope = pgdbm.openRollbackScope()) {
                    insertCustomer(shop);
                }
            };
            for (int i = 0; i < settings.rollbackWarmup; i++) {
                alone.run();
                scoped.run();
            }
            List<Double> aloneMillis = new ArrayList<>(settings.rollbacks);
            List<Double> scopedMillis = new ArrayList<>(settings.rollbacks);
            for (int pair = 0; pair < settings.rollbacks; pair++) {
                if (pair % 2 == 0) {
                    aloneMillis.add(timed(alone));
                    scopedMillis.add(timed(scoped));
                } else {
                    scopedMillis.add(timed(scoped));
                    aloneMillis.add(timed(alone));
                }
                if (pair % 500 == 0) {
                    report.sampleLoad();
                }
            }
            long committed = shop.fetchValue("SELECT count(*) FROM {{tables.customers}}", Long.class);
            long expected = settings.rollbackWarmup + settings.rollbacks;
            if (committed != expected) {
                throw new IllegalStateException("expected the " + expected + " inserts made alone to be committed and"
                        + " those in a scope rolled back, but the table has " + committed + " rows");
            }
            System.out.printf(Locale.ROOT, "rollback  %d pairs after %d warm-up  alone median %,.3f ms  in a scope"
                    + " median %,.3f ms%n", settings.rollbacks, settings.rollbackWarmup,
                    TimingReport.median(aloneMillis), TimingReport.median(scopedMillis));
            report.add("insert", "One insert: alone, against openRollbackScope() + the insert + close()",
                    aloneMillis, scopedMillis, report.overheadWithin(5));
        } finally {
            pgdbm.close();
            dropDatabase(database);
        }
    }

    private void insertCustomer(ModuleDatabase shop) {
        long n = ++customers;
        shop.execute(INSERT, "customer" + n + "@example.com", "Customer " + n);
    }

    private static double timed(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return millisSince(started, System.nanoTime());
    }

    // ---- databases ------------------------------------------------------------------------------------------------

    /** Applies the migrations to the template database once; clones copy it from then on. */
    private void migrateTemplate() {
        try (Pgdbm pgdbm = open(template)) {
            MigrationResult result = migrate(pgdbm);
            if (result.applied().size() != MIGRATION_COUNT) {
                throw new IllegalStateException("The template got " + result.applied().size() + " migrations, not "
                        + MIGRATION_COUNT + ": are the files of " + MIGRATIONS + " on the class path?");
            }
        }
    }

    private static MigrationResult migrate(Pgdbm pgdbm) {
        ModuleDatabase module = pgdbm.findModule(MODULE).orElseThrow();
        return new Migrator(pgdbm, module, MigrationFiles.fromClasspath(MODULE, MIGRATIONS,
                TestDatabaseBenchmark.class.getClassLoader()), MigrationOptions.defaults()).migrate();
    }

    /** A {@code Pgdbm} on {@code database} configured as {@code PgdbmTestDatabase} configures its own, with the module. */
    private Pgdbm open(String database) {
        DatabaseConfig.Builder config = DatabaseConfig.builder().name("test-db").url(server.jdbcUrl(database))
                .username(server.username()).poolMaxSize(4).poolMinIdle(0).connectAttempts(1);
        if (server.password() != null) {
            config.password(server.password());
        }
        Pgdbm pgdbm = Pgdbm.create(config.build());
        pgdbm.module(MODULE);
        return pgdbm;
    }

    private static void requireMigrated(ModuleDatabase module) {
        long applied = module.fetchValue("SELECT count(*) FROM {{tables.schema_migrations}}", Long.class);
        if (applied != MIGRATION_COUNT) {
            throw new IllegalStateException("The clone has " + applied + " migrations recorded, not "
                    + MIGRATION_COUNT);
        }
    }

    private String nextName() {
        return "pgdbm_bench_" + ProcessHandle.current().pid() + "_" + (++databases);
    }

    /**
     * As {@code PgdbmTestServer} creates one: a connection of its own for the statement and, on its embedded server
     * from PostgreSQL 15, {@code STRATEGY FILE_COPY}, for the clones and the empty databases alike.
     */
    private void createDatabase(String name, String from) {
        created.add(name);
        admin("CREATE DATABASE \"" + name + "\"" + (from == null ? "" : " TEMPLATE \"" + from + "\"")
                + (server.isEmbedded() && serverVersionNumber() >= 150000 ? " STRATEGY FILE_COPY" : ""));
    }

    private int serverVersionNumber() {
        if (versionNumber == 0) {
            try (Connection connection = server.dataSource(adminDatabase).getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SHOW server_version_num")) {
                result.next();
                versionNumber = Integer.parseInt(result.getString(1));
            } catch (SQLException e) {
                throw new IllegalStateException("SHOW server_version_num failed: " + e.getMessage(), e);
            }
        }
        return versionNumber;
    }

    private void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        created.remove(name);
    }

    private void dropLeftovers() {
        for (String name : List.copyOf(created)) {
            try {
                dropDatabase(name);
            } catch (IllegalStateException e) {
                System.err.println("Could not drop " + name + ": " + e.getMessage());
            }
        }
    }

    private void admin(String sql) {
        try (Connection connection = server.dataSource(adminDatabase).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private String serverVersion() {
        try (Connection connection = server.dataSource(adminDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the test server: " + e.getMessage(), e);
        }
    }

    private static double millisSince(long startedNanos, long nowNanos) {
        return (nowNanos - startedNanos) / 1e6;
    }

    private static <T> List<Double> millis(List<T> samples, ToDoubleFunction<T> figure) {
        return samples.stream().map(figure::applyAsDouble).toList();
    }

    private static List<Double> timings(List<ExtensionTimings.TestTiming> tests,
            ToDoubleFunction<ExtensionTimings.TestTiming> figure) {
        return millis(tests, figure);
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
