package io.pgdbm.extension;

import io.pgdbm.core.ContainerTransactions;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
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

    private JtaTransactions(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** The container's transactions, or {@code null} when it has no transaction manager pgdbm can see. */
    static ContainerTransactions find(Instance<Object> lookup) {
        if (!MetricsBackends.present(API)) {
            return null;
        }
        return Lookup.find(lookup);
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

        static ContainerTransactions find(Instance<Object> lookup) {
            Instance<TransactionSynchronizationRegistry> bean = lookup.select(TransactionSynchronizationRegistry.class);
            if (bean.isResolvable()) {
                return new JtaTransactions(bean.get());
            }
            try {
                Object bound = new InitialContext().lookup(JNDI_NAME);
                return bound instanceof TransactionSynchronizationRegistry registry ? new JtaTransactions(registry)
                        : null;
            } catch (NamingException | RuntimeException e) {
                return null;
            }
        }
    }
}
