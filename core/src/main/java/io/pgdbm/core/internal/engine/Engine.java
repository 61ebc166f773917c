package io.pgdbm.core.internal.engine;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.PoolTimeoutException;
import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.TransactionWork;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Durations;
import io.pgdbm.core.Operation;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.RollbackScope;
import io.pgdbm.core.SlowQuery;
import io.pgdbm.core.StatementEvent;
import io.pgdbm.core.StatementListener;
import io.pgdbm.core.internal.sql.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one datasource shares: the DataSource, the thread-bound transaction, the modules (for cross-module
 * templates), error translation. Transactions are bound per engine and thread, so modules of one datasource join
 * each other's transactions and modules of different datasources never do.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Logger SLOW = LoggerFactory.getLogger("io.pgdbm.slow");
    private static final StatementListener[] NO_LISTENERS = new StatementListener[0];
    private static final int SLOW_QUERIES_KEPT = 100;
    private static final ToLongFunction<Object> UNKNOWN_ROWS = result -> -1;

    private final String name;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final DatabaseConfig config;
    private final QueryErrors errors;
    private final ThreadLocal<TransactionState> current = new ThreadLocal<>();
    private final Map<String, DefaultModuleDatabase> modules = new ConcurrentHashMap<>();
    private final long slowNanos;
    private final SlowQueryLog slowQueries = new SlowQueryLog(SLOW_QUERIES_KEPT);
    private volatile StatementListener[] listeners = NO_LISTENERS;
    private volatile int templateVersion;
    private volatile boolean closed;

    /**
     * @param ownedPool the pool when pgdbm owns it (closed with the engine), or {@code null} for a borrowed
     *     DataSource, which is never closed here
     */
    public Engine(DataSource dataSource, HikariDataSource ownedPool, DatabaseConfig config) {
        this.name = config.name();
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.config = config;
        this.errors = new QueryErrors(config.logValues());
        this.slowNanos = config.slowQueryThreshold().toNanos();
    }

    /** Adds a listener; it hears about statements that start after this call. */
    public synchronized void addListener(StatementListener listener) {
        StatementListener[] next = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = java.util.Objects.requireNonNull(listener, "listener");
        listeners = next;
    }

    public synchronized void removeListener(StatementListener listener) {
        listeners = java.util.Arrays.stream(listeners).filter(l -> l != listener).toArray(StatementListener[]::new);
    }

    /** The most recent slow statements, oldest first. */
    public List<SlowQuery> slowQueries() {
        return slowQueries.recent();
    }

    public void clearSlowQueries() {
        slowQueries.clear();
    }

    /** Tells the listeners a migration file was applied. */
    public void migrationApplied(String module, String file, long millis) {
        for (StatementListener listener : listeners) {
            try {
                listener.migrationApplied(name, module, file, millis);
            } catch (RuntimeException e) {
                LOG.warn("{} - statement listener {} failed: {}", name, listener, e.toString());
            }
        }
    }

    /**
     * Reports one statement to the slow-query log and the listeners. Costs two reads of volatile fields and a clock
     * read when there are no listeners and the statement was fast.
     *
     * @param rows rows returned or changed, or -1 when not known
     */
    public void observe(String module, String sql, Object[] params, long startedNanos, long rows, String sqlState) {
        long nanos = System.nanoTime() - startedNanos;
        boolean slow = slowNanos > 0 && nanos >= slowNanos;
        StatementListener[] current = listeners;
        if (current.length == 0 && !slow) {
            return;
        }
        if (slow) {
            String parameters = errors.parameters(params);
            slowQueries.add(SlowQueryLog.of(module, nanos, sql, parameters, sqlState));
            SLOW.warn("{} - slow statement: {}ms (pgdbm.slow-query-threshold is {}){}\n  SQL: {}\n  Parameters: {}",
                    module, nanos / 1_000_000, Durations.format(config.slowQueryThreshold()),
                    sqlState == null ? "" : ", failed with SQLState " + sqlState, sql, parameters);
        }
        if (current.length == 0) {
            return;
        }
        StatementEvent event = new StatementEvent(name, module, Operation.of(sql), sql, nanos, rows, sqlState,
                slow);
        for (StatementListener listener : current) {
            try {
                listener.statementExecuted(event);
            } catch (RuntimeException e) {
                LOG.warn("{} - statement listener {} failed: {}", name, listener, e.toString());
            }
        }
    }

    /** Rows of a batch's update counts; counts the driver does not know (-2) count as none. */
    static long sum(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += Math.max(0, count);
        }
        return total;
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseConfig config() {
        return config;
    }

    public boolean ownsPool() {
        return ownedPool != null;
    }

    QueryErrors errors() {
        return errors;
    }

    /**
     * The module called {@code module} with the given schema, created on first request. Asking again with the same
     * schema returns the same instance; with another schema it fails.
     */
    public ModuleDatabase module(String module, String schema) {
        if (!Identifiers.isValid(module)) {
            throw new ConfigurationException("module", "Module name '" + module + "' is not allowed: "
                    + Identifiers.explain());
        }
        if (!Identifiers.isValid(schema)) {
            throw new ConfigurationException("pgdbm.module.\"" + module + "\".schema", module + " - schema '" + schema
                    + "' is not allowed: " + Identifiers.explain());
        }
        DefaultModuleDatabase existing = modules.get(module);
        if (existing == null) {
            synchronized (modules) {
                existing = modules.get(module);
                if (existing == null) {
                    existing = new DefaultModuleDatabase(this, module, schema);
                    modules.put(module, existing);
                    // Cross-module placeholders may now resolve differently: rendered SQL cached before is stale.
                    templateVersion++;
                    return existing;
                }
            }
        }
        if (!existing.schema().equals(schema)) {
            throw new ConfigurationException("pgdbm.module.\"" + module + "\".schema", module + " - module already "
                    + "exists on datasource '" + name + "' with schema '" + existing.schema() + "', so it cannot also "
                    + "use schema '" + schema + "'; give one of them another module name");
        }
        return existing;
    }

    /** Every module created so far. */
    public List<ModuleDatabase> modules() {
        return new ArrayList<>(modules.values());
    }

    String schemaOf(String module) {
        DefaultModuleDatabase database = modules.get(module);
        return database == null ? null : database.schema();
    }

    int templateVersion() {
        return templateVersion;
    }

    TransactionState currentTransaction() {
        return current.get();
    }

    /** A connection for one call, translated into {@link ConnectionException}s that say what to do. */
    Connection acquire(String module) {
        if (closed) {
            throw new PgdbmException(module + " - datasource '" + name + "' is closed: Pgdbm.close() was called. "
                    + "Create a new Pgdbm, or stop using the modules of the closed one");
        }
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw acquireFailed(module, e);
        }
    }

    private ConnectionException acquireFailed(String module, SQLException e) {
        HikariDataSource hikari = hikari();
        if (hikari != null && e instanceof SQLTransientConnectionException && !(e.getCause() instanceof SQLException)) {
            PoolStats stats = poolStats();
            return new PoolTimeoutException(module + " - no connection available from pool " + hikari.getPoolName()
                    + " within " + hikari.getConnectionTimeout() + "ms (" + stats + "). All connections are in use: "
                    + "raise pgdbm.pool.max-size (now " + stats.max() + ") or pgdbm.pool.acquire-timeout (now "
                    + Durations.format(java.time.Duration.ofMillis(hikari.getConnectionTimeout())) + "), or look for "
                    + "work that holds connections (long transactions, unclosed streams)", e.getSQLState(), e);
        }
        Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
        String state = cause instanceof SQLException sql ? sql.getSQLState() : e.getSQLState();
        PoolStats stats = poolStats();
        return new ConnectionException(module + " - could not get a connection from datasource '" + name + "'"
                + (stats != null ? " (" + stats + ")" : "") + ": " + cause.getMessage() + ". Check that the server "
                + "is up and reachable" + (ownedPool != null ? " at pgdbm.datasource.url" : "") + ", and that the "
                + "credentials are still valid", 1, state, e);
    }

    void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("{} - closing a connection failed: {}", name, e.getMessage());
        }
    }

    /**
     * Runs work on the transaction's connection, or on a connection of its own returned right after. Outside a
     * transaction the statement runs in auto-commit mode, even on borrowed connections that come without it.
     */
    <T> T run(String module, TransactionState transaction, String sql, Object[] params, SqlWork<T> work) {
        return run(module, transaction, sql, params, UNKNOWN_ROWS, work);
    }

    /** {@link #run}, reporting the rows {@code rows} reads from the result. */
    <T> T run(String module, TransactionState transaction, String sql, Object[] params,
            ToLongFunction<? super T> rows, SqlWork<T> work) {
        if (sql == null) {
            return untimed(module, transaction, null, params, work);
        }
        long started = System.nanoTime();
        T result;
        try {
            result = untimed(module, transaction, sql, params, work);
        } catch (QueryException e) {
            observe(module, sql, params, started, -1, e.getSqlState());
            throw e;
        }
        observe(module, sql, params, started, rows.applyAsLong(result), null);
        return result;
    }

    private <T> T untimed(String module, TransactionState transaction, String sql, Object[] params,
            SqlWork<T> work) {
        if (transaction != null) {
            try {
                return work.run(transaction.connection);
            } catch (SQLException e) {
                throw errors.query(module, sql, params, e);
            }
        }
        Connection connection = acquire(module);
        try {
            if (ownedPool != null) {
                return work.run(connection);
            }
            boolean flip = !connection.getAutoCommit();
            if (flip) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (flip) {
                    restoreManualCommit(connection);
                }
            }
        } catch (SQLException e) {
            throw errors.query(module, sql, params, e);
        } finally {
            release(connection);
        }
    }

    /**
     * Opens a transaction bound to the calling thread, which every module of this engine joins there, until the
     * returned scope rolls it back.
     *
     * @throws PgdbmException when the thread already has a transaction open on this datasource
     */
    public RollbackScope openRollbackScope() {
        if (current.get() != null) {
            throw new PgdbmException(name + " - a rollback scope cannot open inside a transaction already open on "
                    + "this thread; open it first");
        }
        Connection connection = acquire(name);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            release(connection);
            throw errors.query(name, "BEGIN", null, e);
        }
        TransactionState state = new TransactionState(connection, TransactionOptions.defaults(),
                Thread.currentThread());
        current.set(state);
        return new RollbackScope() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                state.checkUsable(name);
                closed = true;
                state.closeStreams();
                state.open = false;
                current.remove();
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    LOG.warn("{} - rolling back a rollback scope failed: {}", name, e.getMessage());
                }
                resetConnection(connection, true, false, -1);
                release(connection);
            }
        };
    }

    /** Runs work atomically: in the open transaction, or in a transaction of its own. */
    <T> T atomically(String module, TransactionState transaction, String sql, Object[] params,
            ToLongFunction<? super T> rows, SqlWork<T> work) {
        if (transaction != null) {
            return run(module, transaction, sql, params, rows, work);
        }
        Connection connection = acquire(module);
        boolean restore = false;
        long started = System.nanoTime();
        try {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                restore = true;
            }
            T result = work.run(connection);
            connection.commit();
            observe(module, sql, params, started, rows.applyAsLong(result), null);
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            QueryException failure = errors.query(module, sql, params, e);
            observe(module, sql, params, started, -1, failure.getSqlState());
            throw failure;
        } catch (RuntimeException | Error e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection, restore);
            release(connection);
        }
    }

    /** Ends the read-only transaction a stream opened on its own connection. */
    void endReadTransaction(Connection connection, boolean restoreAutoCommit, boolean commit) {
        try {
            if (!connection.getAutoCommit()) {
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            LOG.warn("{} - ending a stream's transaction failed: {}", name, e.getMessage());
        }
        restoreAutoCommit(connection, restoreAutoCommit);
    }

    /**
     * Runs {@code work} in a transaction: the outermost call opens it on a connection bound to this thread; a call
     * while one is open takes a savepoint.
     *
     * @param bound the transaction a handle is bound to, or {@code null} for the thread's current one
     */
    <T> T inTransaction(DefaultModuleDatabase module, TransactionState bound, TransactionOptions options,
            TransactionWork<T> work) {
        TransactionState open = bound != null ? bound : current.get();
        if (open != null) {
            return nested(module, open, options, work);
        }
        Connection connection = acquire(module.name());
        TransactionState state;
        boolean restoreReadOnly = false;
        int restoreIsolation = -1;
        try {
            if (options.isReadOnly()) {
                connection.setReadOnly(true);
                restoreReadOnly = true;
            }
            if (options.isolationLevel().jdbcLevel() >= 0) {
                restoreIsolation = connection.getTransactionIsolation();
                connection.setTransactionIsolation(options.isolationLevel().jdbcLevel());
            }
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            resetConnection(connection, true, restoreReadOnly, restoreIsolation);
            release(connection);
            throw errors.query(module.name(), "BEGIN", null, e);
        }
        state = new TransactionState(connection, options, Thread.currentThread());
        current.set(state);
        try {
            T result;
            try {
                result = work.run(module.boundTo(state));
            } catch (Throwable failure) {
                state.closeStreams();
                rollbackQuietly(connection, failure);
                throw propagate(module.name(), failure);
            }
            state.closeStreams();
            if (isAborted(connection)) {
                // PostgreSQL answers COMMIT on an aborted transaction with ROLLBACK, and pgjdbc does not raise it:
                // returning normally here would report success for work that was thrown away.
                QueryException aborted = new QueryException(module.name() + " - the transaction was rolled back, "
                        + "not committed: a statement inside it failed and its exception was caught, which aborts a "
                        + "PostgreSQL transaction. Let the exception propagate, or run the statement that may fail in "
                        + "a nested inTransaction (a savepoint), which undoes only that statement [SQLState 25P02]",
                        "25P02", module.name(), "COMMIT", null, null);
                rollbackQuietly(connection, aborted);
                throw aborted;
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                rollbackQuietly(connection, e);
                throw errors.query(module.name(), "COMMIT", null, e);
            }
            return result;
        } finally {
            state.open = false;
            current.remove();
            resetConnection(connection, true, restoreReadOnly, restoreIsolation);
            release(connection);
        }
    }

    private <T> T nested(DefaultModuleDatabase module, TransactionState state, TransactionOptions options,
            TransactionWork<T> work) {
        if (!options.isDefault() && !options.equals(state.options)) {
            throw new PgdbmException(module.name() + " - a nested transaction cannot change the transaction's "
                    + "options: the open transaction has " + state.options + ", the nested call asked for " + options
                    + ". Set isolation and read-only on the outermost inTransaction call");
        }
        Connection connection = state.connection;
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw errors.query(module.name(), "SAVEPOINT", null, e);
        }
        state.savepointDepth++;
        try {
            T result;
            try {
                result = work.run(module.boundTo(state));
            } catch (Throwable failure) {
                try {
                    connection.rollback(savepoint);
                    // ROLLBACK TO keeps the savepoint on the server's stack: release it, or a loop of failing nested
                    // calls would nest subtransactions ever deeper.
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    failure.addSuppressed(e);
                }
                throw propagate(module.name(), failure);
            }
            try {
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                // Typically 25P02: a statement inside failed and its exception was caught, so the work "succeeded"
                // on an aborted transaction. Undo the nested part so the outer transaction can go on.
                try {
                    connection.rollback(savepoint);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw errors.query(module.name(), "RELEASE SAVEPOINT", null, e);
            }
            return result;
        } finally {
            state.savepointDepth--;
        }
    }

    /** Whether the server has aborted the connection's transaction (a statement in it failed). */
    private static boolean isAborted(Connection connection) {
        try {
            if (connection.isWrapperFor(BaseConnection.class)) {
                return connection.unwrap(BaseConnection.class).getTransactionState()
                        == org.postgresql.core.TransactionState.FAILED;
            }
        } catch (SQLException e) {
            return false;
        }
        return false;
    }

    private static RuntimeException propagate(String module, Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new PgdbmException(module + " - transaction rolled back: " + failure, failure);
    }

    private void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Quietly: a failure here must not replace the statement's own error. */
    private void restoreManualCommit(Connection connection) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            LOG.warn("{} - restoring the borrowed connection's manual-commit mode failed: {}", name, e.getMessage());
        }
    }

    private void restoreAutoCommit(Connection connection, boolean restore) {
        if (restore) {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.warn("{} - restoring auto-commit failed: {}", name, e.getMessage());
            }
        }
    }

    private void resetConnection(Connection connection, boolean autoCommit, boolean readOnly, int isolation) {
        try {
            if (autoCommit && !connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            if (readOnly) {
                connection.setReadOnly(false);
            }
            if (isolation >= 0) {
                connection.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            LOG.warn("{} - resetting a connection after a transaction failed: {}", name, e.getMessage());
        }
    }

    private HikariDataSource hikari() {
        if (ownedPool != null) {
            return ownedPool;
        }
        return dataSource instanceof HikariDataSource hikari ? hikari : null;
    }

    /** The pool's state, or {@code null} when it cannot be read (a borrowed pool that is not HikariCP). */
    public PoolStats poolStats() {
        HikariDataSource hikari = hikari();
        if (hikari == null) {
            return null;
        }
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return new PoolStats(0, 0, 0, 0, hikari.getMaximumPoolSize());
        }
        return new PoolStats(pool.getTotalConnections(), pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getThreadsAwaitingConnection(), hikari.getMaximumPoolSize());
    }

    /** Closes the owned pool; a borrowed DataSource is left open for its owner. */
    public void close() {
        closed = true;
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /** Work on a JDBC connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
