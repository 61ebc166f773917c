package io.pgdbm.core.internal.engine;

import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.TransactionWork;
import io.pgdbm.core.RollbackScope;
import java.sql.Connection;
import java.sql.SQLException;
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
        if (!engine.handler().isLocal()) {
            throw new PgdbmException(name + " - a rollback scope cannot open inside a container transaction: it would "
                    + "roll back work the container owns. Open it outside");
        }
        Connection connection = engine.acquire(name);
        TransactionHandler.Unit unit;
        try {
            unit = TransactionHandler.LOCAL.begin(name, connection, TransactionOptions.defaults());
        } catch (SQLException e) {
            engine.release(connection);
            throw errors.query(name, "BEGIN", null, e);
        }
        TransactionState state = new TransactionState(connection, TransactionHandler.LOCAL,
                TransactionOptions.defaults(), Thread.currentThread());
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
                RuntimeException failure = new PgdbmException(name + " - rolling back a rollback scope failed");
                unit.rollback(failure);
                if (failure.getSuppressed().length > 0) {
                    LOG.warn("{} - rolling back a rollback scope failed: {}", name,
                            failure.getSuppressed()[0].getMessage());
                }
                unit.end();
                engine.release(connection);
            }
        };
    }

    /**
     * Runs {@code work} as a unit: the outermost call opens it on a connection bound to this thread (a transaction
     * of its own, or its part in the container's transaction); a call while one is open takes a savepoint.
     *
     * @param bound the transaction a handle is bound to, or {@code null} for the thread's current one
     */
    <T> T inTransaction(DefaultModuleDatabase module, TransactionState bound, TransactionOptions options,
            TransactionWork<T> work) {
        TransactionState open = bound != null ? bound : engine.currentTransaction();
        if (open != null) {
            return nested(module, open, options, work);
        }
        TransactionHandler chosen = engine.handler();
        Connection connection = engine.acquire(module.name());
        TransactionHandler handler;
        TransactionHandler.Unit unit;
        try {
            handler = chosen.on(connection);
            unit = handler.begin(module.name(), connection, options);
        } catch (SQLException e) {
            engine.release(connection);
            throw errors.query(module.name(), "BEGIN", null, e);
        } catch (RuntimeException e) {
            engine.release(connection);
            throw e;
        }
        TransactionState state = new TransactionState(connection, handler, options, Thread.currentThread());
        TransactionState outer = current.get();
        current.set(state);
        try {
            T result;
            try {
                result = work.run(module.boundTo(state));
            } catch (Throwable failure) {
                state.closeStreams();
                unit.rollback(failure);
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
                        "25P02", module.name(), "COMMIT", null, new SQLException("current transaction is aborted: a "
                        + "statement in it failed, and PostgreSQL answers COMMIT with ROLLBACK then", "25P02"));
                unit.rollback(aborted);
                throw handler.failed(aborted);
            }
            long committing = System.nanoTime();
            try {
                unit.commit();
            } catch (SQLException e) {
                // A deferred constraint or a serialization failure surfaces here: report it like any statement's,
                // saying that nothing was committed.
                unit.rollback(e);
                throw engine.commitFailed(module.name(), committing, e);
            }
            return result;
        } finally {
            state.open = false;
            // A unit opened inside a REQUIRES_NEW method leaves the suspended transaction's unit bound again.
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
            unit.end();
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
        String savepoint;
        long started = System.nanoTime();
        try {
            savepoint = TransactionHandler.savepoint(connection, state.savepointDepth + 1);
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
                    TransactionHandler.rollbackTo(connection, savepoint);
                    // ROLLBACK TO keeps the savepoint on the server's stack: release it, or a loop of failing nested
                    // calls would nest subtransactions ever deeper.
                    TransactionHandler.release(connection, savepoint);
                } catch (SQLException e) {
                    failure.addSuppressed(e);
                }
                throw propagate(module.name(), failure);
            }
            long releasing = System.nanoTime();
            try {
                TransactionHandler.release(connection, savepoint);
            } catch (SQLException e) {
                // Typically 25P02: a statement inside failed and its exception was caught, so the work "succeeded"
                // on an aborted transaction. Undo the nested part so the outer transaction can go on.
                try {
                    TransactionHandler.rollbackTo(connection, savepoint);
                    TransactionHandler.release(connection, savepoint);
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
}
