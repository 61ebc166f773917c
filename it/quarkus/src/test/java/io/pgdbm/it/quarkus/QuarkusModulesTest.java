package io.pgdbm.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.DatabaseModules;
import io.pgdbm.extension.ModuleDescriptor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * pgdbm on Quarkus: ArC runs the build compatible extension (CDI Lite), which finds the application's
 * {@code @DatabaseModule} classes, wires their databases, and migrates them at start-up over the datasource Quarkus
 * manages (Agroal), with no {@code pgdbm.*} setting.
 *
 * <p>The test injects only what the application's own code injects; pgdbm's registry and Quarkus's DataSource are
 * looked up, so that an injection here cannot keep alive a bean Quarkus would otherwise remove as unused.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class QuarkusModulesTest {

    @Inject
    UsersModule users;

    @Inject
    OrdersModule orders;

    @Inject
    Checkout checkout;

    @Inject
    StartupReport startupReport;

    @Test
    void findsTheApplicationsModulesAndRunsThemOnQuarkusDatasource() throws SQLException {
        assertThat(modules().descriptors())
                .extracting(ModuleDescriptor::name, ModuleDescriptor::schema, ModuleDescriptor::declaredBy)
                .containsExactly(
                        tuple("users", "users", List.of(UsersModule.class.getName())),
                        tuple("orders", "shop_orders", List.of(OrdersModule.class.getName())));
        assertThat(ConfigProvider.getConfig().getPropertyNames()).noneMatch(key -> key.startsWith("pgdbm."));
        assertThat(users.db().fetchValue("SELECT current_setting('application_name')", String.class))
                .isEqualTo("quarkus-agroal");
        assertThat(users.db().fetchValue("SELECT current_database()", String.class))
                .isEqualTo(query("SELECT current_database()").get(0));
    }

    @Test
    void injectsModulesTheirOwnDatabaseAndOtherBeansTheOneTheyName() {
        assertThat(users.db().name()).isEqualTo("users");
        assertThat(users.db().schema()).isEqualTo("users");
        assertThat(orders.db().name()).isEqualTo("orders");
        assertThat(orders.db().schema()).isEqualTo("shop_orders");
        assertThat(checkout.users().name()).isEqualTo("users");
        assertThat(checkout.orders().name()).isEqualTo("orders");
        assertThat(checkout.orders().render("SELECT * FROM {{tables.orders}} JOIN {{tables.users.accounts}}"))
                .isEqualTo("SELECT * FROM \"shop_orders\".\"orders\" JOIN \"users\".\"accounts\"");
    }

    @Test
    void migratesBothModulesAtStartUpInDependsOnOrder() throws SQLException {
        assertThat(modules().startupMigrations()).extracting(MigrationResult::module)
                .containsExactly("users", "orders");
        assertThat(query("SELECT to_regclass('users.accounts')::text || ' ' || to_regclass('shop_orders.orders')"))
                .containsExactly("users.accounts shop_orders.orders");
        assertThat(query("SELECT module_name || ' ' || filename FROM users.schema_migrations ORDER BY id"))
                .containsExactly("users 001_accounts.sql", "users 002_names.sql");
        assertThat(query("SELECT module_name || ' ' || filename FROM shop_orders.schema_migrations ORDER BY id"))
                .containsExactly("orders 001_orders.sql");
        assertThat(query("SELECT (SELECT max(applied_at) FROM users.schema_migrations)"
                + " <= (SELECT min(applied_at) FROM shop_orders.schema_migrations)")).containsExactly("t");
    }

    @Test
    void migratesBeforeTheApplicationsOwnStartupObserversRun() {
        assertThat(startupReport.tablesSeenAtStartup()).isEqualTo("users.accounts shop_orders.orders");
    }

    @Test
    void changesTwoModulesAtomicallyAndRollsBothBackWhenTheWorkThrows() {
        long account = users.create("lin@example.com");

        long order = checkout.checkout(account, new BigDecimal("12.50"), false);
        assertThatThrownBy(() -> checkout.checkout(account, BigDecimal.ONE, true))
                .isInstanceOf(IllegalStateException.class).hasMessage("payment declined");

        assertThat(users.db().fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = ?", Integer.class,
                account)).isEqualTo(1);
        assertThat(orders.db().fetchAll("SELECT id FROM {{tables.orders}} WHERE account_id = ?", Long.class,
                account)).containsExactly(order);
    }

    private static DatabaseModules modules() {
        return CDI.current().select(DatabaseModules.class).get();
    }

    /** The first column of every row, as text, read beside pgdbm through Quarkus's DataSource. */
    private static List<String> query(String sql) throws SQLException {
        DataSource dataSource = CDI.current().select(DataSource.class).get();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
