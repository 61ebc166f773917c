package io.pgdbm.core.internal.engine;

import java.lang.ref.Cleaner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection that a call hands on to its caller, who keeps it after the call returns (a stream reading through a
 * server-side cursor), with a safety net: when the object the caller holds becomes unreachable without having been
 * closed, a {@link Cleaner} rolls the connection's transaction back, gives the connection back to the pool and logs a
 * warning that says where it was opened. Without it, a stream read once and dropped held its connection, and a session
 * idle in a transaction (blocking {@code ALTER TABLE} on what it read), until the process ended: the garbage collector
 * frees a JDBC connection object but never returns it to its pool.
 *
 * <p>The clean-up must not reach the holder (a cleaner action that does would keep it reachable forever), so the
 * lease keeps what the clean-up needs and the holder keeps the lease. Exactly one of {@link #end} and the cleaner's
 * run does the work; {@link java.lang.ref.Reference#reachabilityFence} in the holder keeps it reachable while one of
 * its methods still runs.
 *
 * <p>A connection whose session the server has ended (by {@code idle_in_transaction_session_timeout}, say) fails the
 * rollback with an {@code 08} SQLState, which makes HikariCP evict it instead of counting it idle again.
 */
final class ConnectionLease implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLease.class);
    private static final int MAX_SQL_IN_WARNING = 200;

    /** One daemon thread for the whole JVM; it only wakes when a holder was dropped unclosed. */
    private static final Cleaner CLEANER = Cleaner.create(work -> {
        Thread thread = new Thread(work, "pgdbm-abandoned-connections");
        thread.setDaemon(true);
        return thread;
    });

    private final Engine engine;
    private final String module;
    private final String sql;
    private final Connection connection;
    private final TransactionHandler.Unit unit;
    private final OpenedAt openedAt;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile PreparedStatement statement;
    private Cleaner.Cleanable cleanable;

    private ConnectionLease(Engine engine, String module, String sql, Connection connection,
            TransactionHandler.Unit unit, OpenedAt openedAt) {
        this.engine = engine;
        this.module = module;
        this.sql = sql;
        this.connection = connection;
        this.unit = unit;
        this.openedAt = openedAt;
    }

    /**
     * A lease on a connection the caller will hold through {@code holder}; the safety net is armed by
     * {@link #watch(Object)}.
     *
     * @param unit the transaction begun for the holder, to roll back if it is dropped, or {@code null}
     * @param openedAt where the caller opened it, taken before anything that could fail
     */
    static ConnectionLease of(Engine engine, String module, String sql, Connection connection,
            TransactionHandler.Unit unit, OpenedAt openedAt) {
        return new ConnectionLease(engine, module, sql, connection, unit, openedAt);
    }

    /** The statement whose cursor the holder reads; closed before the connection goes back. */
    void statement(PreparedStatement value) {
        this.statement = value;
    }

    /** Arms the safety net: when {@code holder} becomes unreachable before {@link #end}, the connection goes back. */
    void watch(Object holder) {
        cleanable = CLEANER.register(holder, this);
    }

    /**
     * The holder is done with the connection: ends the transaction ({@code failure} {@code null}: committed, as
     * reading changed nothing; else rolled back) and gives the connection back. Quiet: a holder's own failure goes
     * first. Does nothing the second time.
     */
    void end(Exception failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (cleanable != null) {
            // Unregisters the holder; run() sees the lease ended and does nothing.
            cleanable.clean();
        }
        closeQuietly(statement);
        if (unit != null) {
            if (failure == null) {
                try {
                    unit.commit();
                } catch (SQLException e) {
                    unit.rollback(e);
                }
            } else {
                unit.rollback(failure);
            }
            unit.end();
        }
        engine.release(connection);
    }

    /** The cleaner's action: the holder was dropped without being closed. Never throws. */
    @Override
    public void run() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            LOG.warn("{} - a stream was dropped without being closed: its connection went back to the pool only when "
                    + "the garbage collector found it, its transaction rolled back. Close every stream "
                    + "(try (Stream<T> rows = db.stream(...)) { ... }) or read it to the end. Opened at {}; SQL: {}",
                    module, openedAt.caller(), abbreviate(sql), openedAt.asThrowable("stream opened here"));
            closeQuietly(statement);
            boolean usable = true;
            if (unit != null) {
                RuntimeException failure = new RuntimeException("rollback of an abandoned stream");
                unit.rollback(failure);
                usable = failure.getSuppressed().length == 0;
                if (usable) {
                    unit.end();
                } else {
                    // Typically the server ended the session (08xxx): the pool has evicted the connection, and
                    // resetting it would only fail again.
                    LOG.debug("{} - rolling back an abandoned stream failed: {}", module,
                            failure.getSuppressed()[0].getMessage());
                }
            }
            engine.release(connection);
        } catch (RuntimeException e) {
            // The cleaner thread would drop it silently; say it instead.
            LOG.warn("{} - giving back the connection of an abandoned stream failed: {}", module, e.toString());
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= MAX_SQL_IN_WARNING ? sql : sql.substring(0, MAX_SQL_IN_WARNING) + "...";
    }

    private static void closeQuietly(PreparedStatement prepared) {
        if (prepared != null) {
            try {
                prepared.close();
            } catch (SQLException ignored) {
                // The statement dies with its connection or transaction anyway; nothing to report.
            }
        }
    }
}
