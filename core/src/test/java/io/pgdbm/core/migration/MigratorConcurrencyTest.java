package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Many deployers of one module at once: threads, other JVMs, and a JVM that dies mid-migration. */
@ExtendWith(PostgresDatabaseExtension.class)
class MigratorConcurrencyTest {

    private static final int FILES = 20;

    private static Pgdbm pgdbm;
    private static TestDatabase database;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestDatabase testDatabase) {
        database = testDatabase;
        pgdbm = Pgdbm.create(testDatabase.configBuilder().poolMaxSize(12).poolMinIdle(0).build());
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
    }

    private void writeFiles() throws IOException {
        Files.writeString(dir.resolve("001_counter.sql"), "CREATE TABLE {{tables.applied}} (file int PRIMARY KEY);");
        for (int i = 2; i <= FILES; i++) {
            // A primary key turns a second application of any file into an error, so "exactly once" is checked twice.
            Files.writeString(dir.resolve(String.format("%03d_step.sql", i)),
                    "INSERT INTO {{tables.applied}} VALUES (" + i + "); SELECT pg_sleep(0.01);");
        }
    }

    private static void assertEveryFileAppliedOnce(ModuleDatabase module) {
        assertThat(module.fetchValue("SELECT count(*) FROM {{tables.applied}}", Long.class)).isEqualTo(FILES - 1L);
        assertThat(module.fetchValue("SELECT count(*) FROM {{tables.schema_migrations}}", Long.class))
                .isEqualTo((long) FILES);
        assertThat(module.fetchValue("SELECT count(DISTINCT filename) FROM {{tables.schema_migrations}}",
                Long.class)).isEqualTo((long) FILES);
    }

    @Test
    void eightThreadsMigratingOneModuleApplyEveryFileExactlyOnce() throws Exception {
        writeFiles();
        ModuleDatabase module = pgdbm.module("threads");
        List<MigrationFile> files = MigrationFiles.fromDirectory("threads", dir);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<MigrationResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> new Migrator(pgdbm, module, files, MigrationOptions.defaults())
                        .migrate()));
            }
            int appliedInTotal = 0;
            for (Future<MigrationResult> result : results) {
                appliedInTotal += result.get(60, TimeUnit.SECONDS).applied().size();
            }
            assertThat(appliedInTotal).isEqualTo(FILES);
        } finally {
            threads.shutdownNow();
        }
        assertEveryFileAppliedOnce(module);
    }

    @Test
    void twoJvmsMigratingOneModuleApplyEveryFileExactlyOnce() throws Exception {
        writeFiles();
        // The first file holds the lock a while, so the two runs overlap however long each JVM takes to start.
        Files.writeString(dir.resolve("001_counter.sql"), "CREATE TABLE {{tables.applied}} (file int PRIMARY KEY); "
                + "SELECT pg_sleep(1);");
        Path go = dir.resolve("go");
        Process first = childJvm("jvms", go);
        Process second = childJvm("jvms", go);
        awaitReady(first);
        awaitReady(second);
        Files.writeString(go, "go");

        Map<String, String> firstOutput = finish(first);
        Map<String, String> secondOutput = finish(second);

        assertThat(List.of(firstOutput.get("applied"), secondOutput.get("applied")))
                .as("one applied everything, the other nothing").containsExactlyInAnyOrder("" + FILES, "0");
        Map<String, String> waiter = firstOutput.get("applied").equals("0") ? firstOutput : secondOutput;
        assertThat(Long.parseLong(waiter.get("millis"))).as("the JVM that applied nothing waited for the other's lock")
                .isGreaterThanOrEqualTo(900);
        assertEveryFileAppliedOnce(pgdbm.module("jvms"));
    }

    @Test
    void secondDeployerWaitsOutAMigrationLongerThanTheSessionTimeoutsAndSucceeds() throws Exception {
        // The case, scaled down: a migration sleeping 2 s on a pool whose lock_timeout is 500 ms and whose
        // statement_timeout is 1 s. The first deployer's file must not be cut by the statement_timeout; the second
        // waits for the lock past lock_timeout and then finds the file applied.
        Files.writeString(dir.resolve("1_slow.sql"), "CREATE TABLE {{tables.slow}} (id int); SELECT pg_sleep(2);");
        try (Pgdbm tight = Pgdbm.create(database.configBuilder().poolMaxSize(4).poolMinIdle(0)
                .lockTimeout(Duration.ofMillis(500)).statementTimeout(Duration.ofSeconds(1)).build())) {
            ModuleDatabase module = tight.module("patient");
            List<MigrationFile> files = MigrationFiles.fromDirectory("patient", dir);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService deployers = Executors.newFixedThreadPool(2);
            try {
                List<Future<long[]>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(deployers.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        long started = System.nanoTime();
                        MigrationResult result = new Migrator(tight, module, files, MigrationOptions.defaults())
                                .migrate();
                        return new long[] {result.applied().size(), (System.nanoTime() - started) / 1_000_000};
                    }));
                }
                long[] one = runs.get(0).get(60, TimeUnit.SECONDS);
                long[] other = runs.get(1).get(60, TimeUnit.SECONDS);

                assertThat(one[0] + other[0]).as("the file is applied once").isEqualTo(1);
                long waiterMillis = one[0] == 0 ? one[1] : other[1];
                assertThat(waiterMillis).as("the second deployer waited longer than lock_timeout")
                        .isGreaterThanOrEqualTo(1500);
            } finally {
                deployers.shutdownNow();
            }
            assertThat(module.fetchValue("SELECT count(*) FROM {{tables.schema_migrations}}", Long.class))
                    .isEqualTo(1L);
        }
    }

    @Test
    void deployerKilledDuringALongStatementFreesTheLockWithinSecondsAndTheNextOneAppliesItsFile() throws Exception {
        assumeTrue(database.server().serverVersion() >= 140_000,
                "client_connection_check_interval needs PostgreSQL 14+");
        // The backfill sleeps 30 s only in the deployer that dies (its application_name says which one it is), so the
        // next deployer runs the same file at once and what it waits for is the dead deployer's lock alone.
        Files.writeString(dir.resolve("1_first.sql"), "CREATE TABLE {{tables.first}} (id int);");
        Files.writeString(dir.resolve("2_backfill.sql"), "CREATE TABLE {{tables.backfill}} (id int); "
                + "INSERT INTO {{tables.backfill}} VALUES (1), (2); "
                + "SELECT pg_sleep(30) WHERE current_setting('application_name') = 'dying-deployer';");
        Files.writeString(dir.resolve("3_last.sql"), "CREATE TABLE {{tables.last}} (id int);");
        ModuleDatabase module = pgdbm.module("dead_deployer");
        List<MigrationFile> files = MigrationFiles.fromDirectory("dead_deployer", dir);
        String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?")
                + "ApplicationName=dying-deployer";
        Process child = childJvm(url, "dead_deployer", null);
        ExecutorService nextDeployer = Executors.newSingleThreadExecutor();
        try {
            String sleeping = "SELECT pid FROM pg_stat_activity WHERE application_name = 'dying-deployer' "
                    + "AND state = 'active' AND query LIKE '%pg_sleep(30)%'";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (module.fetchOne(sleeping, Integer.class).isEmpty()) {
                assertThat(System.nanoTime()).as("the child reached the long statement").isLessThan(deadline);
                assertThat(child.isAlive()).as("child still running").isTrue();
                Thread.sleep(20);
            }
            int holder = module.fetchValue(sleeping, Integer.class);

            // A deployer that gives up meanwhile says who holds the lock and how to end it should it be gone.
            assertThatThrownBy(() -> new Migrator(pgdbm, module, files,
                    MigrationOptions.defaults().withLockWait(Duration.ofMillis(300))).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("dead_deployer - waited 300ms for the migration lock of module "
                            + "dead_deployer, held by backend " + holder + " (role " + database.username()
                            + ", application 'dying-deployer', client ")
                    .hasMessageContaining(", running a statement since ")
                    .hasMessageContaining(". Another deployer is migrating it: let it finish, or raise "
                            + "pgdbm.migrate.lock-wait. If that deployer is no longer running (killed, its host gone), "
                            + "its statement may run on to its end: end the session with SELECT pg_terminate_backend("
                            + holder + ") and migrate again");

            // The next deployer is already waiting when the first one dies, as in a rolling deployment.
            Future<MigrationResult> next = nextDeployer.submit(() -> new Migrator(pgdbm, module, files,
                    MigrationOptions.defaults().withLockWait(Duration.ofSeconds(60))).migrate());
            while (module.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory' "
                    + "AND datname = current_database() AND pid <> pg_backend_pid()", Long.class) == 0) {
                assertThat(System.nanoTime()).as("the next deployer waits for the lock").isLessThan(deadline);
                Thread.sleep(20);
            }

            long killed = System.nanoTime();
            child.destroyForcibly();
            MigrationResult result = next.get(60, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("deployer killed during a 30 s statement: the next deployer had the lock and was done "
                    + millis + " ms after the kill");

            assertThat(millis).as("the next deployer was done within seconds of the kill, not when the dead one's "
                    + "30 s statement would have ended").isLessThan(10_000);
            assertThat(result.applied()).as("the killed file was not recorded, so the next deployer applied it")
                    .extracting(MigrationResult.Applied::filename).containsExactly("2_backfill.sql", "3_last.sql");
        } finally {
            child.destroyForcibly();
            nextDeployer.shutdownNow();
        }
        assertThat(module.fetchAll("SELECT filename FROM {{tables.schema_migrations}} ORDER BY id", String.class))
                .containsExactly("1_first.sql", "2_backfill.sql", "3_last.sql");
        assertThat(module.fetchValue("SELECT count(*) FROM {{tables.backfill}}", Long.class))
                .as("the backfill's rows once: nothing of the killed run was left").isEqualTo(2L);
    }

    /** A deployer in its own JVM; with {@code go}, it waits for that file before migrating. */
    private Process childJvm(String module, Path go) throws IOException {
        return childJvm(database.jdbcUrl(), module, go);
    }

    private Process childJvm(String url, String module, Path go) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", MigrateInChildJvm.class.getName(),
                url, database.username(), module, dir.toString()));
        if (go != null) {
            command.add(go.toString());
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Waits for the child's "ready" line: it has connected and waits for the go file. Reads byte by byte, so nothing
     * after the line is taken from the stream {@link #finish} reads.
     */
    private static void awaitReady(Process process) throws IOException {
        InputStream output = process.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        StringBuilder seen = new StringBuilder();
        for (int b = output.read(); b >= 0; b = output.read()) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            if (text.equals("ready")) {
                return;
            }
            seen.append(text).append('\n');
            line.reset();
        }
        throw new AssertionError("child JVM ended before it was ready:\n" + seen + line.toString(StandardCharsets.UTF_8));
    }

    /** The child's last line, {@code applied=<n> millis=<m>}, as a map. */
    private static Map<String, String> finish(Process process) throws Exception {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        String last = output.lines().reduce((a, b) -> b).orElse("");
        Map<String, String> values = new HashMap<>();
        for (String pair : last.split(" ")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        assertThat(values).as(output).containsKeys("applied", "millis");
        return values;
    }
}
