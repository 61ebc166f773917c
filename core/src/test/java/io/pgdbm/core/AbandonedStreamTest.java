package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream read once and dropped without being closed (a common mistake) must not keep its connection, and its
 * session idle in a transaction, for good: once the garbage collector finds it, the connection goes back to the pool
 * with its transaction rolled back, and a warning says where the stream was opened.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class AbandonedStreamTest {

    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureTheLog() {
        standardError = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(standardError);
        System.err.print(log());
    }

    @Test
    void droppedStreamsGiveTheirConnectionsBackRolledBackAndSayWhereTheyWereOpened(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(4).poolMinIdle(0)
                .acquireTimeout(Duration.ofMillis(500)).idleInTransactionTimeout(Duration.ZERO)
                .applicationName("abandoned-streams").build())) {
            ModuleDatabase db = pgdbm.module("orders");
            db.execute("CREATE SCHEMA {{schema}}");
            db.execute("CREATE TABLE {{tables.items}} AS SELECT n FROM generate_series(1, 5000) AS n");
            for (int i = 0; i < 4; i++) {
                assertThat(readOneRowAndDrop(db)).isEqualTo(1);
            }
            assertThat(pgdbm.poolStats()).get().extracting(PoolStats::active).isEqualTo(4);
            assertThat(idleInTransaction(database.dataSource(), "abandoned-streams")).isEqualTo(4);

            long recoveredAfter = collectUntil(() -> pgdbm.poolStats().orElseThrow().active() == 0);
            System.out.println("4 abandoned streams: the pool recovered after " + recoveredAfter + "ms of System.gc()");

            assertThat(idleInTransaction(database.dataSource(), "abandoned-streams"))
                    .as("no session left idle in a transaction").isZero();
            assertThat(log()).contains("[WARN]", "orders - a stream was dropped without being closed")
                    .contains("Opened at io.pgdbm.core.AbandonedStreamTest.readOneRowAndDrop(AbandonedStreamTest.java:")
                    .contains("SQL: SELECT n FROM \"orders\".\"items\" ORDER BY n")
                    .contains("stream opened here");
            // The pool's lock_timeout (5s) bounds the wait: a session idle in a transaction on the table would fail it.
            db.execute("ALTER TABLE {{tables.items}} ADD COLUMN note text");
            assertThat(db.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(5000L);
        }
    }

    @Test
    void droppedStreamWhoseSessionTheServerEndedIsEvictedNotCountedActive(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(2).poolMinIdle(0)
                .idleInTransactionTimeout(Duration.ofMillis(500)).applicationName("ended-sessions").build())) {
            ModuleDatabase db = pgdbm.module("ended");
            db.execute("CREATE SCHEMA {{schema}}");
            db.execute("CREATE TABLE {{tables.items}} AS SELECT n FROM generate_series(1, 5000) AS n");
            readOneRowAndDrop(db);
            readOneRowAndDrop(db);
            waitUntil(() -> sessions(database.dataSource(), "ended-sessions") == 0, Duration.ofSeconds(10),
                    "the server ends the sessions idle in a transaction");
            assertThat(pgdbm.poolStats()).get().extracting(PoolStats::active).isEqualTo(2);

            collectUntil(() -> pgdbm.poolStats().orElseThrow().active() == 0);

            assertThat(pgdbm.poolStats()).get().as("the dead connections were evicted, not put back as idle")
                    .extracting(PoolStats::total).isEqualTo(0);
            assertThat(db.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(5000L);
        }
    }

    @Test
    void leakDetectionThresholdReachesHikariCpWhichReportsAConnectionHeldLonger(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(2)
                .leakDetectionThreshold(Duration.ofSeconds(2)).build())) {
            assertThat(((HikariDataSource) pgdbm.dataSource()).getLeakDetectionThreshold()).isEqualTo(2000);
            ModuleDatabase db = pgdbm.module("leaks");

            try (Stream<Integer> rows = db.stream("SELECT n FROM generate_series(1, 5000) AS n", Integer.class)) {
                assertThat(rows.iterator().next()).isEqualTo(1);
                waitUntil(() -> log().contains("Connection leak detection triggered"), Duration.ofSeconds(15),
                        "HikariCP reports the connection the open stream holds");
            }
        }
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0).build())) {
            assertThat(((HikariDataSource) pgdbm.dataSource()).getLeakDetectionThreshold()).as("off by default")
                    .isZero();
        }
    }

    /** Opens a stream, reads its first row and drops it: nothing outside this frame keeps a reference to it. */
    private static int readOneRowAndDrop(ModuleDatabase db) {
        Stream<Integer> rows = db.stream("SELECT n FROM {{tables.items}} ORDER BY n", Integer.class);
        return rows.iterator().next();
    }

    /** Runs the garbage collector until {@code done}, within {@link #RECOVERY_BOUND}; the milliseconds it took. */
    private static long collectUntil(BooleanSupplier done) {
        long started = System.nanoTime();
        waitUntil(() -> {
            System.gc();
            return done.getAsBoolean();
        }, RECOVERY_BOUND, "the pool gets the abandoned streams' connections back");
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void waitUntil(BooleanSupplier done, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + bound.toSeconds() + "s in vain until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static int idleInTransaction(DataSource admin, String applicationName) {
        return count(admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
                + "AND state = 'idle in transaction'", applicationName);
    }

    private static int sessions(DataSource admin, String applicationName) {
        return count(admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", applicationName);
    }

    private static int count(DataSource admin, String sql, String applicationName) {
        try (Connection connection = admin.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, applicationName);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
