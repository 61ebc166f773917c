package io.pgdbm.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transactions that a container owns (JTA: {@code @Transactional}, {@code UserTransaction}, EJB methods), as seen from
 * the thread that calls pgdbm; given to {@link Pgdbm#wrap(javax.sql.DataSource, DatabaseConfig, ContainerTransactions)}
 * for a DataSource whose connections take part in them. While one is active, pgdbm runs inside it: it never begins,
 * commits, rolls back or switches auto-commit; {@code inTransaction} joins it, and a failure marks it rollback-only.
 * Outside one, pgdbm runs its own transactions as usual.
 *
 * <p>The CDI extension supplies one over the container's {@code TransactionSynchronizationRegistry}; core knows no
 * container type.
 */
public interface ContainerTransactions {

    /** Whether a container transaction is active on the calling thread (running, or marked rollback-only). */
    boolean isActive();

    /** Marks the calling thread's container transaction rollback-only: it will roll back, whatever the caller does. */
    void setRollbackOnly();

    /** Whether the calling thread's container transaction is marked rollback-only; for messages. */
    default boolean isRollbackOnly() {
        return false;
    }

    /**
     * The identity of the calling thread's container transaction ({@code TransactionSynchronizationRegistry
     * .getTransactionKey()}), so that work pgdbm binds to one transaction is not used in another (a
     * {@code REQUIRES_NEW} method called inside it); {@code null} when none is active.
     */
    Object transactionKey();

    /**
     * Whether {@code connection}, just taken from the DataSource inside an active container transaction, takes part in
     * that transaction. When it does not (a plain pool beside a transaction manager), pgdbm runs its own transactions
     * on it and says so once.
     *
     * <p>By default: auto-commit is off, as pools that enlist on lending report (Agroal). A server whose DataSources
     * enlist every connection but report auto-commit on (Open Liberty enlists on first use and reports the handle's
     * default) answers {@code true}.
     */
    default boolean takesPart(Connection connection) throws SQLException {
        return !connection.getAutoCommit();
    }
}
