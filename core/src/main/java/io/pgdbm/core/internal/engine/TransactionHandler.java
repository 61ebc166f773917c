package io.pgdbm.core.internal.engine;

import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.core.ContainerTransactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a connection's transaction state: every begin, commit, rollback, savepoint and auto-commit decision
 * pgdbm makes goes through a handler (as Jdbi puts {@code LocalTransactionHandler} behind its
 * {@code TransactionHandler}). Two kinds:
 * <ul>
 *   <li>{@link #LOCAL}: pgdbm's own transactions, on its own pool or on a borrowed DataSource with no container
 *       transaction running. A plain statement runs in auto-commit mode; a unit of work begins, commits and rolls
 *       back.</li>
 *   <li>{@link Joined}: a transaction someone else owns (JTA, through {@link ContainerTransactions}) is running on the
 *       thread, and the DataSource's connections take part in it. pgdbm never begins, commits, rolls back or changes
 *       auto-commit then (an enlisted connection refuses it, or worse, obeys); a unit of work joins the running
 *       transaction, and a failure marks it rollback-only.</li>
 * </ul>
 */
public abstract sealed class TransactionHandler permits TransactionHandler.Local, TransactionHandler.Joined {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionHandler.class);

    /** pgdbm's own transactions. */
    public static final TransactionHandler LOCAL = new Local();

    /** What undoes a change made to a connection for one statement; quiet. */
    @FunctionalInterface
    public interface Restore {
        Restore NOTHING = () -> { };

        void restore();
    }

    /** A unit of work on one connection: committed, or rolled back, then ended. */
    public interface Unit {

        /** Makes the work durable: COMMIT, or nothing when the container's transaction will commit it. */
        void commit() throws SQLException;

        /** Undoes the work ({@code failure} collects what goes wrong doing so): ROLLBACK, or rollback-only. */
        void rollback(Throwable failure);

        /** Puts the connection back as it was found; quiet. */
        void end();
    }

    /**
     * Prepares a connection of its own for one plain statement outside any unit of work.
     *
     * @param alwaysAutoCommit true when the pool hands out connections in auto-commit mode only (pgdbm's own)
     */
    public abstract Restore forStatement(Connection connection, boolean alwaysAutoCommit) throws SQLException;

    /**
     * Starts a unit of work on a connection.
     *
     * @throws PgdbmException when {@code options} cannot apply (a transaction already runs)
     */
    public abstract Unit begin(String module, Connection connection, TransactionOptions options) throws SQLException;

    /**
     * A statement failed on a connection of its own, outside any unit of work: what the caller throws. Inside a unit,
     * the unit decides (a savepoint may undo the failure), so failures there do not come here.
     */
    abstract QueryException failed(QueryException failure);

    /** The transaction a thread-bound unit belongs to, for telling one container transaction from another. */
    abstract Object transactionKey();

    /**
     * Who decides for work on {@code connection}: this handler, or {@link #LOCAL} when a container transaction runs
     * but the connection does not take part in it (a DataSource that does not enlist, such as a plain pool handed to
     * pgdbm as a bean: inside a container transaction its connections still come in auto-commit mode). Joining a
     * transaction the connection is not in would make {@code inTransaction} commit nothing and undo nothing.
     */
    abstract TransactionHandler on(Connection connection) throws SQLException;

    /** Whether pgdbm runs its own transactions here (false: it takes part in the container's). */
    public boolean isLocal() {
        return this == LOCAL;
    }

    /**
     * Sets savepoint {@code pgdbm_<depth>} inside the unit's transaction. In SQL, not through JDBC's
     * {@code Savepoint}: a container's connection may refuse JDBC's rollback to a savepoint inside its transaction
     * (Agroal does) while the server takes the statement.
     */
    static String savepoint(Connection connection, int depth) throws SQLException {
        String name = "pgdbm_" + depth;
        sql(connection, "SAVEPOINT " + name);
        return name;
    }

    /** Undoes the work since the savepoint; the savepoint stays, to be released. */
    static void rollbackTo(Connection connection, String savepoint) throws SQLException {
        sql(connection, "ROLLBACK TO SAVEPOINT " + savepoint);
    }

    static void release(Connection connection, String savepoint) throws SQLException {
        sql(connection, "RELEASE SAVEPOINT " + savepoint);
    }

    private static void sql(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Puts a connection lent outside auto-commit back without the transaction a failed statement left open on it
     * (a migration's history read, say), so the pool does not hand out an aborted transaction.
     */
    public static void endAbortedRead(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }

    /**
     * Puts {@code connection} in auto-commit mode for work that manages its transactions statement by statement
     * (the migration lock's connection); the result restores the connection's mode.
     */
    public static Restore autoCommit(Connection connection) throws SQLException {
        return LOCAL.forStatement(connection, false);
    }

    /** pgdbm's own transactions. */
    static final class Local extends TransactionHandler {

        private Local() {
        }

        @Override
        public Restore forStatement(Connection connection, boolean alwaysAutoCommit) throws SQLException {
            // A borrowed DataSource may hand out connections without auto-commit: a plain call must not leave its
            // statement in a transaction nobody ends.
            if (alwaysAutoCommit || connection.getAutoCommit()) {
                return Restore.NOTHING;
            }
            connection.setAutoCommit(true);
            return () -> {
                try {
                    connection.setAutoCommit(false);
                } catch (SQLException e) {
                    LOG.warn("restoring a borrowed connection's manual-commit mode failed: {}", e.getMessage());
                }
            };
        }

        @Override
        public Unit begin(String module, Connection connection, TransactionOptions options) throws SQLException {
            boolean readOnly = false;
            int isolation = -1;
            boolean autoCommit = false;
            try {
                if (options.isReadOnly()) {
                    connection.setReadOnly(true);
                    readOnly = true;
                }
                if (options.isolationLevel().jdbcLevel() >= 0) {
                    isolation = connection.getTransactionIsolation();
                    connection.setTransactionIsolation(options.isolationLevel().jdbcLevel());
                }
                if (connection.getAutoCommit()) {
                    connection.setAutoCommit(false);
                    autoCommit = true;
                }
            } catch (SQLException e) {
                reset(connection, autoCommit, readOnly, isolation);
                throw e;
            }
            return new LocalUnit(connection, autoCommit, readOnly, isolation);
        }

        @Override
        QueryException failed(QueryException failure) {
            return failure;
        }

        @Override
        Object transactionKey() {
            return null;
        }

        @Override
        TransactionHandler on(Connection connection) {
            return this;
        }

        private static void reset(Connection connection, boolean autoCommit, boolean readOnly, int isolation) {
            try {
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
                if (readOnly) {
                    connection.setReadOnly(false);
                }
                if (isolation >= 0) {
                    connection.setTransactionIsolation(isolation);
                }
            } catch (SQLException e) {
                LOG.warn("resetting a connection after a transaction failed: {}", e.getMessage());
            }
        }
    }

    /** One transaction pgdbm began on a connection. */
    private record LocalUnit(Connection connection, boolean autoCommit, boolean readOnly, int isolation)
            implements Unit {

        @Override
        public void commit() throws SQLException {
            connection.commit();
        }

        @Override
        public void rollback(Throwable failure) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        @Override
        public void end() {
            Local.reset(connection, autoCommit, readOnly, isolation);
        }
    }

    /** Taking part in a transaction the container owns. */
    static final class Joined extends TransactionHandler {

        private final ContainerTransactions container;
        private final String datasource;
        private volatile boolean warned;

        Joined(ContainerTransactions container, String datasource) {
            this.container = container;
            this.datasource = datasource;
        }

        @Override
        TransactionHandler on(Connection connection) throws SQLException {
            if (container.takesPart(connection)) {
                return this;
            }
            if (!warned) {
                warned = true;
                LOG.warn("pgdbm - datasource {} hands out connections that do not take part in the container's "
                        + "transaction (they come in auto-commit mode inside one), so pgdbm runs its own transactions "
                        + "on it there: its work commits and rolls back apart from the container's. Give pgdbm a "
                        + "DataSource the container manages (pgdbm.datasource.jndi, or the container's DataSource "
                        + "bean) to share the container's transactions", datasource);
            }
            return LOCAL;
        }

        @Override
        public Restore forStatement(Connection connection, boolean alwaysAutoCommit) {
            return Restore.NOTHING;
        }

        @Override
        public Unit begin(String module, Connection connection, TransactionOptions options) {
            if (options.isReadOnly() || options.isolationLevel().jdbcLevel() >= 0) {
                throw new PgdbmException(module + " - " + options + " cannot apply: this call runs inside a "
                        + "container transaction (@Transactional, UserTransaction or an EJB method), which is "
                        + "already running with its own isolation and access mode. Drop the options, or call from "
                        + "outside the container transaction (for example a method marked "
                        + "@Transactional(TxType.NOT_SUPPORTED))");
            }
            return new Unit() {
                @Override
                public void commit() {
                    // The container commits when its transaction ends.
                }

                @Override
                public void rollback(Throwable failure) {
                    markRollbackOnly(failure);
                }

                @Override
                public void end() {
                }
            };
        }

        @Override
        QueryException failed(QueryException failure) {
            markRollbackOnly(failure);
            return new QueryException(failure.getMessage() + "\n  The surrounding container transaction is marked "
                    + "rollback-only and will roll back (PostgreSQL aborts a transaction at its first failed "
                    + "statement)", failure.getSqlState(), failure.module(), failure.sql(), failure.constraint(),
                    failure.getCause());
        }

        @Override
        Object transactionKey() {
            return container.transactionKey();
        }

        /** Why the container may refuse a connection now: its transaction is doomed. */
        String refusalHint() {
            return container.isRollbackOnly() ? ". The container transaction on this thread is marked rollback-only "
                    + "(an earlier statement failed, or the application called setRollbackOnly), and the container "
                    + "gives it no further connection: let the transaction end, or catch the earlier failure in a "
                    + "nested inTransaction (a savepoint), which keeps the transaction usable" : "";
        }

        private void markRollbackOnly(Throwable failure) {
            try {
                container.setRollbackOnly();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
