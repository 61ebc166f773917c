package io.pgdbm.core.internal.engine;

import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.TransactionWork;
import io.pgdbm.core.RollbackScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datasource's transactions: bound to the thread that opens them, so every module of the datasource joins the
 * open one there; nested calls take savepoints; rollback scopes for tests.
 */
final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /**
     * The thread-bound transactions of each DataSource in use: a transaction belongs to its DataSource, not to the
     * engine that opened it, so every {@code Pgdbm} on one DataSource joins it. Weak keys: a pool that is gone takes
     * its entry with it.
     */
    private static final Map<DataSource, ThreadLocal<TransactionState>> BY_DATASOURCE = new WeakHashMap<>();

    private final Engine engine;
    private final String name;
    private final QueryErrors errors;
    private final ThreadLocal<TransactionState> current;

    Transactions(Engine engine) {
        this.engine = engine;
        this.name = engine.name();
        this.errors = engine.errors();
        synchronized (BY_DATASOURCE) {
            this.current = BY_DATASOURCE.computeIfAbsent(engine.dataSource(), dataSource -> new ThreadLocal<>());
        }
    }

    /** The transaction open on the calling thread, or {@code null}. */
    TransactionState current() {
        return current.get();
    }

    /**
     * Opens a transaction bound to the calling thread, which every module of this engine joins there, until the
     * returned scope rolls it back.
     *
     * @throws PgdbmException when the thread already has a transaction open on this datasource
     */
    RollbackScope openRollbackScope() {
        if (current.get() != null) {
            throw new PgdbmException(name + " - a rollback scope cannot open inside a transaction already open on "
                    + "this thread; open it first");
        }
        Connection connection = engine.acquire(name);
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            engine.release(connection);
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
                engine.release(connection);
            }
        };
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
        Connection connection = engine.acquire(module.name());
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
            engine.release(connection);
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
                Engine.rollbackQuietly(connection, failure);
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
                Engine.rollbackQuietly(connection, aborted);
                throw aborted;
            }
            long committing = System.nanoTime();
            try {
                connection.commit();
            } catch (SQLException e) {
                // A deferred constraint or a serialization failure surfaces here: report it like any statement's.
                Engine.rollbackQuietly(connection, e);
                throw engine.failed(module.name(), "COMMIT", committing, e);
            }
            return result;
        } finally {
            state.open = false;
            current.remove();
            resetConnection(connection, true, restoreReadOnly, restoreIsolation);
            engine.release(connection);
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
        long started = System.nanoTime();
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw engine.failed(module.name(), "SAVEPOINT", started, e);
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
            long releasing = System.nanoTime();
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
                throw engine.failed(module.name(), "RELEASE SAVEPOINT", releasing, e);
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

    static RuntimeException propagate(String module, Throwable failure) {
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
}
