package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.ConnectionException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.PoolTimeoutException;
import io.pgdbm.QueryException;
import io.pgdbm.core.testsupport.RestartablePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault suite: what pgdbm's own pool does when the server restarts under load, when a backend dies inside a
 * transaction, and when the pool runs dry. It runs against a PostgreSQL of its own ({@link RestartablePostgres}),
 * which it stops and starts, never the server the other test classes share.
 *
 * <p>Timings are printed, one line per fault starting with {@code fault-suite}, and bounded only generously: the
 * figures in {@code docs/reliability.md} come from these lines. Surefire writes them to
 * {@code core/target/surefire-reports/io.pgdbm.core.FaultsTest-output.txt}.
 */
class FaultsTest {

    private static final int WRITERS = 8;
    /** Rows acknowledged before the restart, so the restart hits a pool under load, not one warming up. */
    private static final int ACKNOWLEDGED_BEFORE_RESTART = 1000;
    private static final int POOL_SIZE = 4;
    /** Shorter than the outage, so that callers waiting for a connection during it fail, and say so. */
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(1);
    /** How long the server stays down; {@code -Dfaults.outage-ms=10000} shows a longer outage (see the docs). */
    private static final Duration OUTAGE = Duration.ofMillis(Long.getLong("faults.outage-ms", 2500));
    /** Generous: HikariCP's connection adder sleeps up to 5s between attempts while the server is away. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(15);

    private static RestartablePostgres server;

    @BeforeAll
    static void startServerOfOwn() {
        server = RestartablePostgres.startNew();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A test that failed half-way through an outage must not leave the next one without a server. */
    @AfterEach
    void serverRunsAgain() {
        if (!server.isRunning()) {
            server.start();
        }
    }

    /** How the server goes down in the middle of the load. */
    enum StopMode {
        /** {@code pg_ctl stop -m fast}: sessions ended ({@code 57P01}), a shutdown checkpoint written. */
        FAST,
        /** A crash: SIGQUIT to the postmaster (immediate mode), no checkpoint, crash recovery on the next start. */
        IMMEDIATE
    }

    @ParameterizedTest
    @EnumSource(StopMode.class)
    void acknowledgedWritesSurviveARestartUnderLoadAndWritesResumeOnceTheServerIsUp(StopMode mode) throws Exception {
        try (Pgdbm pgdbm = Pgdbm.create(server.configBuilder().name("restart-" + mode.name().toLowerCase())
                .poolMaxSize(POOL_SIZE).poolMinIdle(0).acquireTimeout(ACQUIRE_TIMEOUT).build())) {
            ModuleDatabase ledger = pgdbm.module("ledger_" + mode.name().toLowerCase());
            ledger.execute("CREATE SCHEMA {{schema}}");
            ledger.execute("CREATE TABLE {{tables.writes}} (writer int, seq int, part int, "
                    + "PRIMARY KEY (writer, seq, part))");

            Outage outage = new Outage();
            List<Writer> writers = new ArrayList<>();
            List<Future<?>> running = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
            Duration stopTook;
            Duration startTook;
            long upAt;
            try {
                for (int writer = 0; writer < WRITERS; writer++) {
                    // Half write one row per call, half two rows per transaction, which must never be torn.
                    Writer task = new Writer(writer, writer >= WRITERS / 2, ledger, outage);
                    writers.add(task);
                    running.add(threads.submit(task));
                }
                awaitUntil(() -> outage.acknowledged.get() >= ACKNOWLEDGED_BEFORE_RESTART, Duration.ofSeconds(30),
                        "writers to have " + ACKNOWLEDGED_BEFORE_RESTART + " calls acknowledged before the restart");

                outage.stopBegan = System.nanoTime();
                stopTook = mode == StopMode.FAST ? server.stop() : server.crash();
                outage.down = System.nanoTime();
                Thread.sleep(OUTAGE.toMillis());
                startTook = server.start();
                upAt = System.nanoTime();

                awaitUntil(() -> outage.resumedAt.get() != 0, RESUME_BOUND,
                        "a write to succeed after the restart");
                // Keep the load on until every writer, not only the first, is going again.
                awaitUntil(() -> writers.stream().allMatch(writer -> writer.succeededAfterRestart),
                        RESUME_BOUND, "every writer to have a write acknowledged after the restart");
            } finally {
                outage.done.set(true);
                threads.shutdown();
                assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).as("writers stopped").isTrue();
            }
            for (Future<?> writer : running) {
                writer.get();
            }

            Set<Long> acknowledged = new HashSet<>();
            List<Failure> failures = new ArrayList<>();
            List<RuntimeException> raw = new ArrayList<>();
            for (Writer writer : writers) {
                acknowledged.addAll(writer.acknowledged);
                failures.addAll(writer.failures);
                raw.addAll(writer.raw);
            }
            // The pool serves again: the checks themselves go through it.
            Set<Long> stored = new HashSet<>(ledger.fetchAll("SELECT writer::bigint * 1000000000 + seq "
                    + "FROM {{tables.writes}} GROUP BY writer, seq", Long.class));
            long torn = ledger.fetchValue("SELECT count(*) FROM (SELECT 1 FROM {{tables.writes}} WHERE writer >= ? "
                    + "GROUP BY writer, seq HAVING count(*) <> 2) AS torn", Long.class, WRITERS / 2);
            Set<Long> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            long resumedAfterUpMillis = Math.max(0, (outage.resumedAt.get() - upAt) / 1_000_000);
            long lastWriterMillis = Math.max(0, (lastResumed(writers) - upAt) / 1_000_000);

            System.out.println("fault-suite restart-under-load (" + mode.name().toLowerCase() + "): " + WRITERS
                    + " writers on a pool of " + POOL_SIZE + ", acquire-timeout " + ACQUIRE_TIMEOUT.toMillis()
                    + "ms; " + acknowledged.size() + " writes acknowledged, " + stored.size() + " stored, "
                    + lost.size() + " acknowledged lost, " + torn + " transactions torn; stop "
                    + stopTook.toMillis() + "ms, server down " + (upAt - outage.down) / 1_000_000 + "ms (start "
                    + startTook.toMillis() + "ms); first write acknowledged " + resumedAfterUpMillis
                    + "ms after the server was up, every writer within " + lastWriterMillis + "ms; "
                    + failures.size() + " failed calls " + histogram(failures) + "; raw exceptions " + raw.size());

            assertThat(raw).as("exceptions that are not PgdbmExceptions").isEmpty();
            assertThat(failures).as("the outage was seen").isNotEmpty();
            assertThat(failures).as("failures before the server was stopped")
                    .noneMatch(failure -> failure.at < outage.stopBegan);
            assertThat(failures).as("every failure says the connection failed or may be retried")
                    .allSatisfy(failure -> assertThat(isConnectionFailure(failure.exception))
                            .as("%s", failure.exception).isTrue());
            assertThat(lost).as("acknowledged writes missing after the restart").isEmpty();
            assertThat(stored.size()).isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(torn).as("transactions with one row of two").isZero();
            assertThat(Duration.ofMillis(resumedAfterUpMillis)).isLessThanOrEqualTo(RESUME_BOUND);
        }
    }

    @Test
    void backendKilledBeforeAStatementFailsTheTransactionLeavesNothingAndThePoolServesTheNextCall() {
        killBackendInsideTransaction(KillPoint.BEFORE_STATEMENT);
    }

    @Test
    void backendKilledBeforeTheCommitFailsTheTransactionLeavesNothingAndThePoolServesTheNextCall() {
        killBackendInsideTransaction(KillPoint.BEFORE_COMMIT);
    }

    private enum KillPoint {
        BEFORE_STATEMENT("before-a-statement"),
        BEFORE_COMMIT("before-the-commit");

        final String label;

        KillPoint(String label) {
            this.label = label;
        }
    }

    private static void killBackendInsideTransaction(KillPoint point) {
        // One connection: the next call can only succeed if the dead one left the pool.
        try (Pgdbm pgdbm = Pgdbm.create(server.configBuilder().name("killed-" + point.label).poolMaxSize(1)
                .poolMinIdle(1).acquireTimeout(Duration.ofSeconds(5)).build())) {
            ModuleDatabase payments = pgdbm.module("payments_" + point.name().toLowerCase());
            payments.execute("CREATE SCHEMA {{schema}}");
            payments.execute("CREATE TABLE {{tables.entries}} (tag text NOT NULL)");
            AtomicInteger killed = new AtomicInteger();

            Throwable failure = catchThrowable(() -> payments.useTransaction(tx -> {
                tx.execute("INSERT INTO {{tables.entries}} VALUES ('before-kill')");
                int pid = tx.fetchValue("SELECT pg_backend_pid()", Integer.class);
                killed.set(pid);
                terminate(pid);
                if (point == KillPoint.BEFORE_STATEMENT) {
                    tx.execute("INSERT INTO {{tables.entries}} VALUES ('after-kill')");
                }
            }));
            long failedAt = System.nanoTime();

            assertThat(failure).as("the transaction's failure").isInstanceOf(PgdbmException.class);
            assertThat(isConnectionFailure(failure)).as("%s", failure).isTrue();
            if (failure instanceof QueryException query) {
                assertThat(query.sql()).isEqualTo(point == KillPoint.BEFORE_COMMIT ? "COMMIT"
                        : "INSERT INTO \"" + payments.schema() + "\".\"entries\" VALUES ('after-kill')");
            }
            int next = payments.fetchValue("SELECT pg_backend_pid()", Integer.class);
            long servedMillis = (System.nanoTime() - failedAt) / 1_000_000;
            long remaining = payments.fetchValue("SELECT count(*) FROM {{tables.entries}}", Long.class);
            PoolStats stats = pgdbm.poolStats().orElseThrow();

            System.out.println("fault-suite backend-killed " + point.label + ": " + describe(failure)
                    + "; rows of the transaction left: " + remaining + "; next call served by a new backend in "
                    + servedMillis + "ms (pool " + stats + ")");

            assertThat(remaining).as("rows of the killed transaction").isZero();
            assertThat(next).as("backend of the next call").isNotEqualTo(killed.get());
            assertThat(stats.total()).isLessThanOrEqualTo(1);
            assertThat(stats.active()).isZero();
        }
    }

    @Test
    void exhaustedPoolFailsWithinTheAcquireTimeoutNamingTheKeyToRaiseAndServesAgainOnceReleased() throws Exception {
        Duration acquireTimeout = Duration.ofMillis(500);
        try (Pgdbm pgdbm = Pgdbm.create(server.configBuilder().name("exhaustion").poolMaxSize(2).poolMinIdle(0)
                .acquireTimeout(acquireTimeout).build())) {
            ModuleDatabase orders = pgdbm.module("orders");
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService holders = Executors.newFixedThreadPool(2);
            Throwable plain;
            Throwable transaction;
            long plainMillis;
            long releasedAt;
            try {
                List<Future<?>> held = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    held.add(holders.submit(() -> orders.useTransaction(tx -> {
                        tx.fetchValue("SELECT 1", Integer.class);
                        holding.countDown();
                        assertThat(release.await(60, TimeUnit.SECONDS)).as("released").isTrue();
                    })));
                }
                assertThat(holding.await(30, TimeUnit.SECONDS)).as("both connections held").isTrue();

                long started = System.nanoTime();
                plain = catchThrowable(() -> orders.fetchValue("SELECT 1", Integer.class));
                plainMillis = (System.nanoTime() - started) / 1_000_000;
                transaction = catchThrowable(() -> orders.useTransaction(tx -> { }));

                release.countDown();
                releasedAt = System.nanoTime();
                for (Future<?> holder : held) {
                    holder.get(30, TimeUnit.SECONDS);
                }
            } finally {
                release.countDown();
                holders.shutdown();
                assertThat(holders.awaitTermination(30, TimeUnit.SECONDS)).as("holders stopped").isTrue();
            }
            int afterRelease = orders.fetchValue("SELECT 1", Integer.class);
            long servedMillis = (System.nanoTime() - releasedAt) / 1_000_000;
            PoolStats stats = pgdbm.poolStats().orElseThrow();

            System.out.println("fault-suite pool-exhaustion: pool of 2 held, acquire-timeout "
                    + acquireTimeout.toMillis() + "ms; the next call failed after " + plainMillis + "ms with "
                    + describe(plain) + "; served again " + servedMillis + "ms after the release (pool " + stats
                    + ")");

            for (Throwable failure : new Throwable[] {plain, transaction}) {
                assertThat(failure).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageStartingWith("orders - no connection available from pool pgdbm-exhaustion "
                                + "within 500ms (total=2, active=2, idle=0, waiting=")
                        .hasMessageContaining("raise pgdbm.pool.max-size (now 2) or pgdbm.pool.acquire-timeout "
                                + "(now 500ms)");
            }
            // HikariCP's wait is the timeout itself; a slow box adds to it, never takes from it.
            assertThat(plainMillis).isBetween(acquireTimeout.toMillis() - 50, acquireTimeout.toMillis() + 5000);
            assertThat(afterRelease).isEqualTo(1);
            assertThat(stats.active()).isZero();
            assertThat(stats.waiting()).isZero();
        }
    }

    @Test
    void aCallWhileTheServerIsDownFailsWithinTheAcquireTimeoutAndSaysWhichKeyBoundsTheWait() {
        try (Pgdbm pgdbm = Pgdbm.create(server.configBuilder().name("down").poolMaxSize(1).poolMinIdle(0)
                .acquireTimeout(ACQUIRE_TIMEOUT).build())) {
            assertThat(pgdbm.module("faults").fetchValue("SELECT 1", Integer.class)).isEqualTo(1);
            server.stop();
            // The pooled connection may be handed out once more (HikariCP skips its check for a connection used less
            // than half a second ago): that call finds it lost. The next one must wait for a new connection.
            Throwable lost = catchThrowable(() -> pgdbm.module("faults").fetchValue("SELECT 1", Integer.class));
            assertThat(lost).isInstanceOf(PgdbmException.class);

            Throwable failure = catchThrowable(() -> pgdbm.module("faults").fetchValue("SELECT 1", Integer.class));

            assertThat(failure).isInstanceOf(ConnectionException.class);
            assertThat(failure.getMessage())
                    .startsWith("faults - could not get a connection from datasource 'down' within "
                            + ACQUIRE_TIMEOUT.toMillis() + "ms (pgdbm.pool.acquire-timeout)")
                    .contains("Check that the server is up and reachable at pgdbm.datasource.url")
                    .doesNotContain("..");
        }
    }

    /**
     * A failure that says the connection went away, or that the work may simply be tried again: a
     * {@link ConnectionException}, or a {@link QueryException} with a connection SQLState (class 08; 57P01-57P03, the
     * server shutting down or starting) or {@link QueryException#isRetryable()}.
     */
    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof ConnectionException) {
            return true;
        }
        if (failure instanceof QueryException query) {
            String state = query.getSqlState();
            return query.isRetryable() || state != null && (state.startsWith("08") || state.equals("57P01")
                    || state.equals("57P02") || state.equals("57P03"));
        }
        return false;
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "no failure";
        }
        String state = failure instanceof QueryException query ? query.getSqlState()
                : failure instanceof ConnectionException connection ? connection.getSqlState() : null;
        String message = failure.getMessage() == null ? "" : failure.getMessage().lines().findFirst().orElse("");
        return failure.getClass().getSimpleName() + " [" + state + "] " + message;
    }

    private static String histogram(List<Failure> failures) {
        Map<String, Long> counts = failures.stream().collect(Collectors.groupingBy(failure -> {
            Throwable e = failure.exception;
            String state = e instanceof QueryException query ? query.getSqlState()
                    : e instanceof ConnectionException connection ? connection.getSqlState() : null;
            return e.getClass().getSimpleName() + " " + state;
        }, TreeMap::new, Collectors.counting()));
        return counts.toString();
    }

    private static long lastResumed(List<Writer> writers) {
        return writers.stream().mapToLong(writer -> writer.firstSuccessAfterRestart).max().orElse(0);
    }

    /** Ends the backend from a connection of its own, and waits until it has exited (PostgreSQL 14+). */
    private static void terminate(int pid) throws SQLException {
        try (Connection admin = server.dataSource().getConnection();
                PreparedStatement statement = admin.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
            statement.setInt(1, pid);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next() && result.getBoolean(1)).as("backend %d terminated", pid).isTrue();
            }
        }
    }

    private static void awaitUntil(BooleanSupplier condition, Duration limit, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + limit.toMillis() + "ms for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** What the writers share: when the server went down, and the first write acknowledged after that. */
    private static final class Outage {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicLong resumedAt = new AtomicLong();
        volatile long stopBegan = Long.MAX_VALUE;
        volatile long down = Long.MAX_VALUE;
    }

    private record Failure(long at, PgdbmException exception) {
    }

    /**
     * Writes rows of its own, each (writer, seq) once, one row per call or two per transaction: whatever it was told
     * succeeded must be in the table afterwards.
     */
    private static final class Writer implements Runnable {
        final int id;
        final boolean transactional;
        final ModuleDatabase db;
        final Outage outage;
        final List<Long> acknowledged = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<RuntimeException> raw = new ArrayList<>();
        volatile boolean succeededAfterRestart;
        long firstSuccessAfterRestart;

        Writer(int id, boolean transactional, ModuleDatabase db, Outage outage) {
            this.id = id;
            this.transactional = transactional;
            this.db = db;
            this.outage = outage;
        }

        @Override
        public void run() {
            String insert = "INSERT INTO {{tables.writes}} (writer, seq, part) VALUES (?, ?, ?)";
            for (int next = 0; !outage.done.get(); next++) {
                int seq = next;
                long attempted = System.nanoTime();
                try {
                    if (transactional) {
                        db.useTransaction(tx -> {
                            tx.execute(insert, id, seq, 1);
                            tx.execute(insert, id, seq, 2);
                        });
                    } else {
                        db.execute(insert, id, seq, 1);
                    }
                } catch (PgdbmException e) {
                    failures.add(new Failure(System.nanoTime(), e));
                    continue;
                } catch (RuntimeException e) {
                    raw.add(e);
                    continue;
                }
                long now = System.nanoTime();
                acknowledged.add(id * 1_000_000_000L + seq);
                outage.acknowledged.incrementAndGet();
                // Only an attempt begun while the server was down proves the restarted server took it.
                if (attempted > outage.down) {
                    outage.resumedAt.compareAndSet(0, now);
                    if (!succeededAfterRestart) {
                        firstSuccessAfterRestart = now;
                        succeededAfterRestart = true;
                    }
                }
            }
        }
    }
}
