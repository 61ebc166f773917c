package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Process first = childJvm("jvms");
        Process second = childJvm("jvms");

        String firstOutput = finish(first);
        String secondOutput = finish(second);

        assertThat(List.of(firstOutput, secondOutput)).as("one applied everything, the other nothing")
                .containsExactlyInAnyOrder("applied " + FILES, "applied 0");
        assertEveryFileAppliedOnce(pgdbm.module("jvms"));
    }

    @Test
    void jvmKilledMidMigrationLeavesNoRowAndAFreeLockAndARerunCompletes() throws Exception {
        Files.writeString(dir.resolve("1_first.sql"), "CREATE TABLE {{tables.first}} (id int);");
        Files.writeString(dir.resolve("2_slow.sql"), "CREATE TABLE {{tables.slow}} (id int); SELECT pg_sleep(2);");
        Files.writeString(dir.resolve("3_last.sql"), "CREATE TABLE {{tables.last}} (id int);");
        ModuleDatabase module = pgdbm.module("killed");
        Process child = childJvm("killed");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (module.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' "
                + "AND pid <> pg_backend_pid()", Long.class) == 0) {
            assertThat(System.nanoTime()).as("the child reached the slow migration").isLessThan(deadline);
            assertThat(child.isAlive()).as("child still running").isTrue();
            Thread.sleep(20);
        }
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // The server notices the dead client when the sleep ends; its transaction is then rolled back.
        while (module.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' "
                + "AND pid <> pg_backend_pid()", Long.class) > 0) {
            assertThat(System.nanoTime()).as("the dead client's backend ended").isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(module.fetchAll("SELECT filename FROM {{tables.schema_migrations}}", String.class))
                .containsExactly("1_first.sql");
        assertThat(module.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class, module.render("{{tables.slow}}")))
                .isTrue();
        assertThat(module.fetchValue("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", Long.class))
                .isZero();

        MigrationResult rerun = new Migrator(pgdbm, module, MigrationFiles.fromDirectory("killed", dir),
                MigrationOptions.defaults()).migrate();
        assertThat(rerun.applied()).extracting(MigrationResult.Applied::filename)
                .containsExactly("2_slow.sql", "3_last.sql");
    }

    private Process childJvm(String module) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", MigrateInChildJvm.class.getName(),
                database.jdbcUrl(), database.username(), module, dir.toString())
                .redirectErrorStream(true).start();
    }

    private static String finish(Process process) throws Exception {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().reduce((a, b) -> b).orElse("");
    }
}
