package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgdbm.ModuleDatabase;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * No test database outlives its run: a JVM killed mid-suite leaves its databases, and the next run drops them; a
 * failing test's database is dropped like any other.
 */
class LeakTest {

    /** Set in a child JVM: the file the blocking test writes its database's name to before it waits to be killed. */
    static final String MARKER_PROPERTY = "pgdbm.leak-test.marker";

    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private final PgdbmTestServer server = PgdbmTestServer.shared();

    @Test
    void databasesOfAJvmKilledMidSuiteAreDroppedByTheNextRunAndNothingElse(@TempDir Path directory)
            throws Exception {
        String notOurs = "pgdbm_test_not_ours";
        server.create(notOurs, null);
        try (PgdbmTestServer.Database ofThisLiveJvm = server.newDatabase()) {
            Path marker = directory.resolve("in-use");
            Process killed = startSuite(directory.resolve("killed.log"), marker);
            String inUse = awaitMarker(killed, marker, directory.resolve("killed.log"));
            List<TestDatabaseName> leftByKilled = databasesOf(killed.pid());
            assertThat(leftByKilled).as("the template, the database in use and the one made ahead")
                    .anyMatch(TestDatabaseName::template)
                    .anyMatch(name -> name.toString().equals(inUse))
                    .hasSizeGreaterThanOrEqualTo(3);

            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(databasesOf(killed.pid())).as("a killed JVM drops nothing").isNotEmpty();

            Process next = startSuite(directory.resolve("next.log"), null);
            assertThat(next.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the next run ended").isTrue();
            assertThat(next.exitValue()).as(Files.readString(directory.resolve("next.log"))).isZero();

            assertThat(databasesOf(killed.pid())).as("left by the killed run").isEmpty();
            assertThat(databasesOf(next.pid())).as("left by the run that ended").isEmpty();
            assertThat(server.databases()).contains(notOurs, ofThisLiveJvm.name());
        } finally {
            server.drop(notOurs);
        }
    }

    @Test
    void aFailingTestsDatabaseIsDropped() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(FailingTest.class));

        assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(outcome.thrown())
                .hasMessage("fails on purpose"));
        server.background().awaitIdle();
        assertThat(FailingTest.database).startsWith(TestDatabaseName.PREFIX);
        assertThat(server.databases()).doesNotContain(FailingTest.database);
    }

    /** A JVM running {@link Suite} on this JVM's server; it blocks in its second test when {@code marker} is given. */
    private Process startSuite(Path log, Path marker) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-D" + PgdbmTestServer.URL_PROPERTY + "=" + server.adminUrlWithCredentials(),
                "-D" + MARKER_PROPERTY + "=" + (marker == null ? "" : marker.toString()),
                LeakTest.class.getName());
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String awaitMarker(Process child, Path marker, Path log) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
        while (!Files.exists(marker)) {
            assertThat(child.isAlive()).as("the child JVM runs:\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the child JVM reached its blocking test in time:\n"
                    + Files.readString(log)).isLessThan(deadline);
            Thread.sleep(50);
        }
        return Files.readString(marker, StandardCharsets.UTF_8);
    }

    private List<TestDatabaseName> databasesOf(long pid) {
        return server.databases().stream().map(TestDatabaseName::parse).flatMap(Optional::stream)
                .filter(name -> name.owner().pid() == pid).toList();
    }

    /** The child JVM: runs {@link Suite} and exits 0 when it passed. */
    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Suite.class))
                .configurationParameter(LaunchedOnly.PARAMETER, "true").build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 20);
        System.exit(summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() == 2 ? 0 : 1);
    }

    /** What the child JVMs run: a template, and a database per test made ahead. */
    @ExtendWith(LaunchedOnly.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Suite {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        private static String first;

        @Test
        @Order(1)
        void registers(@Injected ModuleDatabase users) {
            first = db.databaseName();
            users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
        }

        /** In the run to kill: waits for the next database, says which one it uses, and blocks. */
        @Test
        @Order(2)
        void startsFromTheTemplateAgain(@Injected ModuleDatabase users) throws IOException, InterruptedException {
            assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isZero();
            String marker = System.getProperty(MARKER_PROPERTY, "");
            if (marker.isEmpty()) {
                return;
            }
            PgdbmTestServer server = PgdbmTestServer.shared();
            server.background().awaitIdle();
            assertThat(server.databases()).as("the first test's database is dropped").doesNotContain(first);
            Path written = Files.writeString(Path.of(marker + ".tmp"), db.databaseName());
            Files.move(written, Path.of(marker), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    /** A test that fails. */
    @ExtendWith(LaunchedOnly.class)
    static class FailingTest {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        static String database;

        @Test
        void fails() {
            database = db.databaseName();
            throw new AssertionError("fails on purpose");
        }
    }
}
