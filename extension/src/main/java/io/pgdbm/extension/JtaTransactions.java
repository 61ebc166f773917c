package io.pgdbm.extension;

import io.pgdbm.core.ContainerTransactions;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The container's JTA transactions, through its {@link TransactionSynchronizationRegistry}: a CDI bean where the
 * container offers one (Quarkus with Narayana), else {@value #JNDI_NAME}, where every Jakarta EE server binds it
 * (Payara, Open Liberty, WildFly). Loaded only when the Jakarta Transactions API is on the class path
 * ({@link #find}).
 */
final class JtaTransactions implements ContainerTransactions {

    static final String API = "jakarta.transaction.TransactionSynchronizationRegistry";
    static final String JNDI_NAME = "java:comp/TransactionSynchronizationRegistry";

    private final TransactionSynchronizationRegistry registry;
    private final boolean serverDataSource;

    private JtaTransactions(TransactionSynchronizationRegistry registry, boolean serverDataSource) {
        this.registry = registry;
        this.serverDataSource = serverDataSource;
    }

    /** The container's transactions, or {@code null} when it has no transaction manager pgdbm can see. */
    static JtaTransactions find(Instance<Object> lookup) {
        if (!MetricsBackends.present(API)) {
            return null;
        }
        return Lookup.find(lookup);
    }

    /**
     * The same transactions, for a DataSource the server binds in JNDI: the server enlists its connections, whatever
     * auto-commit they report (Open Liberty enlists on first use and reports auto-commit on until then).
     */
    JtaTransactions forServerDataSource() {
        return new JtaTransactions(registry, true);
    }

    @Override
    public boolean takesPart(Connection connection) throws SQLException {
        return serverDataSource || ContainerTransactions.super.takesPart(connection);
    }

    @Override
    public boolean isActive() {
        // Running, marked rollback-only, or completing (a synchronization's beforeCompletion): the DataSource's
        // connections are enlisted. Once committed or rolled back, they are not.
        return switch (registry.getTransactionStatus()) {
            case Status.STATUS_NO_TRANSACTION, Status.STATUS_COMMITTED, Status.STATUS_ROLLEDBACK,
                    Status.STATUS_UNKNOWN -> false;
            default -> true;
        };
    }

    @Override
    public void setRollbackOnly() {
        registry.setRollbackOnly();
    }

    @Override
    public boolean isRollbackOnly() {
        return registry.getTransactionStatus() == Status.STATUS_MARKED_ROLLBACK;
    }

    @Override
    public Object transactionKey() {
        return registry.getTransactionKey();
    }

    /** Kept apart so that {@link JtaTransactions#find} can check for the API before any of its types load. */
    private static final class Lookup {

        static JtaTransactions find(Instance<Object> lookup) {
            Instance<TransactionSynchronizationRegistry> bean = lookup.select(TransactionSynchronizationRegistry.class);
            if (bean.isResolvable()) {
                return new JtaTransactions(bean.get(), false);
            }
            try {
                Object bound = new InitialContext().lookup(JNDI_NAME);
                return bound instanceof TransactionSynchronizationRegistry registry ? new JtaTransactions(registry, false)
                        : null;
            } catch (NamingException | RuntimeException e) {
                return null;
            }
        }
    }
}
