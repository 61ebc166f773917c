package io.pgdbm.quarkus.deployment;

import io.pgdbm.quarkus.deployment.app.MigrationsReport;
import io.pgdbm.quarkus.deployment.app.OrdersModule;
import io.pgdbm.quarkus.deployment.app.UsersModule;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * The application the tests build ({@link io.pgdbm.quarkus.deployment.app}): two modules with their first migration
 * each, on Quarkus's default datasource, configured the way the README shows (no {@code pgdbm.*} key). The datasource's
 * URL is the test's.
 */
final class TestApplication {

    static final String ACCOUNTS = """
            CREATE TABLE {{tables.accounts}} (
                id bigserial PRIMARY KEY,
                email text NOT NULL UNIQUE
            );
            """;

    static final String ORDERS = """
            CREATE TABLE {{tables.orders}} (
                id bigserial PRIMARY KEY,
                account_id bigint NOT NULL REFERENCES {{tables.users.accounts}} (id)
            );
            """;

    private TestApplication() {
    }

    static void addTo(JavaArchive root) {
        root.addClasses(UsersModule.class, OrdersModule.class, MigrationsReport.class)
                .addAsResource(new StringAsset(ACCOUNTS), "db/users/001_accounts.sql")
                .addAsResource(new StringAsset(ORDERS), "sql/orders/001_orders.sql")
                .addAsResource(new StringAsset("""
                        quarkus.datasource.db-kind=postgresql
                        quarkus.datasource.jdbc.max-size=4
                        quarkus.devservices.enabled=false
                        """), "application.properties");
    }
}
