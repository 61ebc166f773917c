package io.pgdbm.extension.jta;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a Jakarta EE container or Quarkus gives an application: its DataSource, an Agroal pool whose connections take
 * part in the current JTA transaction (as Quarkus builds it), and {@link UserTransaction}. The database comes from
 * {@link #use}.
 */
@ApplicationScoped
public class ContainerDataSource {

    private static volatile String url;
    private static volatile String user;
    private static volatile String password;

    /** The database the next container's DataSource connects to; {@code secret} may be {@code null}. */
    public static void use(String jdbcUrl, String username, String secret) {
        url = jdbcUrl;
        user = username;
        password = secret;
    }

    @Produces
    @ApplicationScoped
    AgroalDataSource dataSource(TransactionManager manager, TransactionSynchronizationRegistry registry)
            throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .minSize(0)
                        .maxSize(6)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .transactionIntegration(new NarayanaTransactionIntegration(manager, registry))
                        .connectionFactoryConfiguration(factory -> factory
                                .connectionProviderClass(org.postgresql.Driver.class)
                                .jdbcUrl(url)
                                .principal(new NamePrincipal(user))
                                .credential(password == null ? null : new SimplePassword(password)))));
    }

    void close(@Disposes AgroalDataSource dataSource) {
        dataSource.close();
    }

    @Produces
    @ApplicationScoped
    UserTransaction userTransaction() {
        return com.arjuna.ats.jta.UserTransaction.userTransaction();
    }
}
