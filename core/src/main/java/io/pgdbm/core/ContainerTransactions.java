package io.pgdbm.core;

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
}
