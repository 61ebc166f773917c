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
import io.pgdbm.core.ContainerTransactions;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Durations;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.RollbackScope;
import io.pgdbm.core.SlowQuery;
import io.pgdbm.core.StatementListener;
import io.pgdbm.core.internal.sql.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one datasource shares: the DataSource, the thread-bound transaction, the modules (for cross-module
 * templates), error translation. Transactions are bound per engine and thread, so modules of one datasource join
 * each other's transactions and modules of different datasources never do.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final ToLongFunction<Object> UNKNOWN_ROWS = result -> -1;
    private static final Pattern HIKARI_STATE =
            Pattern.compile("\\((total=\\d+, active=\\d+, idle=\\d+, waiting=\\d+)\\)");

    private final String name;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final DatabaseConfig config;
    private final QueryErrors errors;
    private final Map<String, DefaultModuleDatabase> modules = new ConcurrentHashMap<>();
    private final StatementObserver observer;
    private final Transactions transactions;
    /** The container's transactions, or {@code null} when pgdbm runs only its own. */
    private final ContainerTransactions container;
    private final TransactionHandler joined;
    private volatile int templateVersion;
    private volatile boolean closed;

    /**
     * @param ownedPool the pool when pgdbm owns it (closed with the engine), or {@code null} for a borrowed
     *     DataSource, which is never closed here
     */
    public Engine(DataSource dataSource, HikariDataSource ownedPool, DatabaseConfig config) {
        this(dataSource, ownedPool, config, null);
    }

    /**
     * @param container the transactions of the container whose DataSource this is, or {@code null}: with them, work
     *     on a thread inside one of its transactions takes part in it
     */
    public Engine(DataSource dataSource, HikariDataSource ownedPool, DatabaseConfig config,
            ContainerTransactions container) {
        this.container = container;
        this.joined = container == null ? null : new TransactionHandler.Joined(container, config.name());
        this.name = config.name();
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.config = config;
        this.errors = new QueryErrors(config.logValues(), SocketTimeoutHint.of(config, ownedPool != null));
        this.observer = new StatementObserver(config, errors);
        this.transactions = new Transactions(this);
    }

    /** Adds a listener; it hears about statements that start after this call. */
    public void addListener(StatementListener listener) {
        observer.addListener(listener);
    }

    public void removeListener(StatementListener listener) {
        observer.removeListener(listener);
    }

    /** The most recent slow statements, oldest first. */
    public List<SlowQuery> slowQueries() {
        return observer.slowQueries();
    }

    public void clearSlowQueries() {
        observer.clearSlowQueries();
    }

    /** Tells the listeners a migration file was applied. */
    public void migrationApplied(String module, String file, long millis) {
        observer.migrationApplied(module, file, millis);
    }

    /**
     * Reports one statement to the slow-query log and the listeners: see {@link StatementObserver#observe}.
     *
     * @param rows rows returned or changed, or -1 when not known
     */
    public void observe(String module, String sql, Object[] params, long startedNanos, long rows, String sqlState) {
        observer.observe(module, sql, params, System.nanoTime() - startedNanos, rows, sqlState);
    }

    StatementObserver observer() {
        return observer;
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
                    warnAboutCase(module, schema);
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

    /**
     * A name with capitals is legal, but PostgreSQL folds unquoted names to lower case while pgdbm quotes every name it
     * writes: a schema {@code Notes} made by pgdbm is not the {@code notes} that hand-written SQL reaches. Said once,
     * when the module is created.
     */
    private void warnAboutCase(String module, String schema) {
        if (!schema.equals(schema.toLowerCase(Locale.ROOT))) {
            LOG.warn("{} - schema '{}' is not in lower case: PostgreSQL keeps its case, and {{tables...}} quote it "
                    + "(\"{}\".\"accounts\"), so \"{}\" and {} are two schemas, and unquoted SQL such as {}.accounts "
                    + "reaches the other one. Use '{}' unless the capitals are meant", module, schema, schema, schema,
                    schema.toLowerCase(Locale.ROOT), schema, schema.toLowerCase(Locale.ROOT));
        }
        if (!module.equals(module.toLowerCase(Locale.ROOT)) && !module.equals(schema)) {
            LOG.warn("{} - module name '{}' is not in lower case: it is case-sensitive everywhere pgdbm uses it "
                    + "(@Module(\"{}\"), {{tables.{}.name}}, the migration history and its lock), so '{}' names "
                    + "another module. Use '{}' unless the capitals are meant", module, module, module, module,
                    module.toLowerCase(Locale.ROOT), module.toLowerCase(Locale.ROOT));
        }
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

    /**
     * The unit of work open on the calling thread that calls join, or {@code null}: pgdbm's own transaction, or the
     * part pgdbm took in the container's transaction that runs now (not one it took in a transaction that a
     * {@code REQUIRES_NEW} method has suspended).
     */
    TransactionState currentTransaction() {
        TransactionState state = transactions.current();
        if (state == null || state.handler.isLocal()) {
            return state;
        }
        return Objects.equals(state.key, handler().transactionKey()) ? state : null;
    }

    /**
     * Who decides about transactions for work that starts now on the calling thread: the container's handler inside a
     * container transaction, else pgdbm's own.
     */
    public TransactionHandler handler() {
        return container != null && container.isActive() ? joined : TransactionHandler.LOCAL;
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
        if (handler() instanceof TransactionHandler.Joined joinedHandler) {
            String hint = joinedHandler.refusalHint();
            if (!hint.isEmpty()) {
                return new ConnectionException(module + " - could not get a connection from datasource '" + name
                        + "' inside the container transaction: " + e.getMessage() + hint, 1, e.getSQLState(), e);
            }
        }
        HikariDataSource hikari = hikari();
        if (hikari != null && e instanceof SQLTransientConnectionException && !(e.getCause() instanceof SQLException)) {
            PoolStats stats = poolStats();
            return new PoolTimeoutException(module + " - no connection available from pool " + hikari.getPoolName()
                    + " within " + hikari.getConnectionTimeout() + "ms (" + stateAtTimeout(e, stats) + "). All "
                    + "connections are in use: raise pgdbm.pool.max-size (now " + stats.max() + ") or "
                    + "pgdbm.pool.acquire-timeout (now "
                    + Durations.format(Duration.ofMillis(hikari.getConnectionTimeout())) + "), or look for "
                    + "work that holds connections (long transactions, unclosed streams)", e.getSQLState(), e);
        }
        Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
        String state = cause instanceof SQLException sql ? sql.getSQLState() : e.getSQLState();
        PoolStats stats = poolStats();
        HikariDataSource pool = hikari();
        // pgjdbc's messages end with a full stop ("... accepting TCP/IP connections."): one is enough.
        String reason = String.valueOf(cause.getMessage()).replaceAll("\\.+\\s*$", "");
        return new ConnectionException(module + " - could not get a connection from datasource '" + name + "'"
                + (pool != null ? " within " + pool.getConnectionTimeout() + "ms (pgdbm.pool.acquire-timeout)" : "")
                + (stats != null ? " (" + stats + ")" : "") + ": " + reason + ". Check that the server "
                + "is up and reachable" + (ownedPool != null ? " at pgdbm.datasource.url" : "") + ", and that the "
                + "credentials are still valid", 1, state, e);
    }

    /**
     * The pool's state when the wait timed out, as HikariCP took it then and put in its message
     * ({@code ... request timed out after 30001ms (total=10, active=10, idle=0, waiting=3)}): read again now, after the
     * wait, the threads that timed out with this one have left, and the pool says {@code waiting=0}. {@code now} when
     * the message does not carry it.
     */
    private static String stateAtTimeout(SQLException timeout, PoolStats now) {
        Matcher state = HIKARI_STATE.matcher(String.valueOf(timeout.getMessage()));
        return state.find() ? state.group(1) : now.toString();
    }

    /** Translates the failure of a statement pgdbm itself sent (SAVEPOINT) and reports it like any other. */
    QueryException failed(String module, String sql, long startedNanos, SQLException e) {
        QueryException failure = errors.query(module, sql, null, e);
        observe(module, sql, null, startedNanos, -1, failure.getSqlState());
        return failure;
    }

    /** Translates a failed COMMIT, saying what became of the transaction, and reports it like any statement. */
    QueryException commitFailed(String module, long startedNanos, SQLException e) {
        QueryException failure = errors.commit(module, e);
        observe(module, "COMMIT", null, startedNanos, -1, failure.getSqlState());
        return failure;
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

    /**
     * {@link #run}, reporting the rows {@code rows} reads from the result. The time reported is the statement's own:
     * waiting for a pool connection is not part of it.
     */
    <T> T run(String module, TransactionState transaction, String sql, Object[] params,
            ToLongFunction<? super T> rows, SqlWork<T> work) {
        if (transaction != null) {
            // Inside a unit, the unit decides what a failure means (a savepoint may undo it).
            return timed(module, TransactionHandler.LOCAL, transaction.connection, sql, params, rows, work);
        }
        TransactionHandler chosen = handler();
        Connection connection = acquire(module);
        try {
            TransactionHandler handler = chosen;
            TransactionHandler.Restore restore;
            try {
                handler = chosen.on(connection);
                restore = handler.forStatement(connection, ownedPool != null);
            } catch (SQLException e) {
                throw handler.failed(errors.query(module, sql, params, e));
            }
            try {
                return timed(module, handler, connection, sql, params, rows, work);
            } finally {
                restore.restore();
            }
        } finally {
            release(connection);
        }
    }

    /** Runs work on a connection it has, reporting it when it is a statement ({@code sql} not {@code null}). */
    private <T> T timed(String module, TransactionHandler handler, Connection connection, String sql,
            Object[] params, ToLongFunction<? super T> rows, SqlWork<T> work) {
        long started = System.nanoTime();
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException e) {
            QueryException failure = errors.query(module, sql, params, e);
            if (sql != null) {
                observe(module, sql, params, started, -1, failure.getSqlState());
            }
            throw handler.failed(failure);
        } catch (QueryException e) {
            if (sql != null) {
                observe(module, sql, params, started, -1, e.getSqlState());
            }
            throw handler.failed(e);
        }
        if (sql != null) {
            observe(module, sql, params, started, rows.applyAsLong(result), null);
        }
        return result;
    }

    /**
     * Opens a transaction bound to the calling thread, which every module of this engine joins there, until the
     * returned scope rolls it back.
     *
     * @throws PgdbmException when the thread already has a transaction open on this datasource
     */
    public RollbackScope openRollbackScope() {
        return transactions.openRollbackScope();
    }

    /** Runs work atomically: in the open transaction, or in a transaction of its own. */
    <T> T atomically(String module, TransactionState transaction, String sql, Object[] params,
            ToLongFunction<? super T> rows, SqlWork<T> work) {
        if (transaction != null) {
            return run(module, transaction, sql, params, rows, work);
        }
        TransactionHandler handler = handler();
        Connection connection = acquire(module);
        TransactionHandler.Unit unit = null;
        long started = System.nanoTime();
        try {
            handler = handler.on(connection);
            unit = handler.begin(module, connection, TransactionOptions.defaults());
            T result = work.run(connection);
            unit.commit();
            observe(module, sql, params, started, rows.applyAsLong(result), null);
            return result;
        } catch (SQLException e) {
            if (unit != null) {
                unit.rollback(e);
            }
            QueryException failure = errors.query(module, sql, params, e);
            observe(module, sql, params, started, -1, failure.getSqlState());
            throw handler.failed(failure);
        } catch (RuntimeException | Error e) {
            if (unit != null) {
                unit.rollback(e);
            }
            throw e;
        } finally {
            if (unit != null) {
                unit.end();
            }
            release(connection);
        }
    }

    /**
     * Runs {@code work} in a transaction: see {@link Transactions#inTransaction}.
     *
     * @param bound the transaction a handle is bound to, or {@code null} for the thread's current one
     */
    <T> T inTransaction(DefaultModuleDatabase module, TransactionState bound, TransactionOptions options,
            TransactionWork<T> work) {
        return transactions.inTransaction(module, bound, options, work);
    }

    static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
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
