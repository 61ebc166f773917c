package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

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
    void jvmKilledMidMigrationLeavesNoRowAndAFreeLockAndARerunCompletes() throws Exception {
        Files.writeString(dir.resolve("1_first.sql"), "CREATE TABLE {{tables.first}} (id int);");
        Files.writeString(dir.resolve("2_slow.sql"), "CREATE TABLE {{tables.slow}} (id int); SELECT pg_sleep(2);");
        Files.writeString(dir.resolve("3_last.sql"), "CREATE TABLE {{tables.last}} (id int);");
        ModuleDatabase module = pgdbm.module("killed");
        Process child = childJvm("killed", null);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (module.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                + "AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()", Long.class) == 0) {
            assertThat(System.nanoTime()).as("the child reached the slow migration").isLessThan(deadline);
            assertThat(child.isAlive()).as("child still running").isTrue();
            Thread.sleep(20);
        }
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // The server notices the dead client when the sleep ends; its transaction is then rolled back.
        while (module.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                + "AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()", Long.class) > 0) {
            assertThat(System.nanoTime()).as("the dead client's backend ended").isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(module.fetchAll("SELECT filename FROM {{tables.schema_migrations}}", String.class))
                .containsExactly("1_first.sql");
        assertThat(module.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class, module.render("{{tables.slow}}")))
                .isTrue();
        assertThat(module.fetchValue("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())", Long.class)).isZero();

        MigrationResult rerun = new Migrator(pgdbm, module, MigrationFiles.fromDirectory("killed", dir),
                MigrationOptions.defaults()).migrate();
        assertThat(rerun.applied()).extracting(MigrationResult.Applied::filename)
                .containsExactly("2_slow.sql", "3_last.sql");
    }

    /** A deployer in its own JVM; with {@code go}, it waits for that file before migrating. */
    private Process childJvm(String module, Path go) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", MigrateInChildJvm.class.getName(),
                database.jdbcUrl(), database.username(), module, dir.toString()));
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
