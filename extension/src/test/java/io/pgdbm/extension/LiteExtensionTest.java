package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.Containers.Kind;
import io.pgdbm.extension.fixtures.Checkout;
import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CDI Lite code path (the build compatible extension, as Quarkus runs it), run on Weld through its translator; and
 * both extensions at once, as a Weld-based server sees the jar.
 */
class LiteExtensionTest {

    private TestDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Map<String, String> ownPool(String... more) {
        return Containers.ownPool(database, more);
    }

    @Test
    void buildCompatibleExtensionInjectsAndMigratesLikeThePortableOne() {
        try (WeldContainer container = Containers.start(Kind.LITE, ownPool(), UsersModule.class, OrdersModule.class,
                Checkout.class)) {
            UsersModule users = container.select(UsersModule.class).get();
            OrdersModule orders = container.select(OrdersModule.class).get();

            assertThat(users.db().schema()).isEqualTo("users");
            assertThat(orders.db().schema()).isEqualTo("shop_orders");
            assertThat(container.select(ModuleDatabase.class, Any.Literal.INSTANCE).stream()
                    .map(ModuleDatabase::name)).containsExactlyInAnyOrder("users", "orders");
            assertThat(container.select(DatabaseModules.class).get().startupMigrations())
                    .extracting(MigrationResult::module).containsExactly("users", "orders");

            long account = users.create("lin@example.com");
            container.select(Checkout.class).get().checkout(account, BigDecimal.ONE, false);
            assertThat(users.db().fetchValue("SELECT orders FROM {{tables.accounts}}", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void bothExtensionsInOneContainerRegisterEachBeanOnce() {
        try (WeldContainer container = Containers.start(Kind.BOTH, ownPool(), UsersModule.class, OrdersModule.class,
                Checkout.class)) {
            assertThat(container.select(ModuleDatabase.class, ModuleLiteral.of("users")).isResolvable()).isTrue();
            assertThat(container.select(DatabaseModules.class).isResolvable()).isTrue();
            assertThat(container.select(DatabaseModules.class).get().startupMigrations()).hasSize(2);
        }
    }

    /**
     * An application bean whose start-up observer reads the modules' tables with plain JDBC, not through pgdbm, so it
     * cannot start pgdbm itself: pgdbm must have migrated before it runs.
     */
    @ApplicationScoped
    static class StartupReport {
        static volatile String seen;

        void onStart(@Observes Startup event) throws SQLException {
            Config config = ConfigProvider.getConfig();
            try (Connection connection = DriverManager.getConnection(
                    config.getValue("pgdbm.datasource.url", String.class),
                    config.getValue("pgdbm.datasource.username", String.class),
                    config.getOptionalValue("pgdbm.datasource.password", String.class).orElse(null));
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT coalesce(to_regclass('users.accounts')::text, "
                            + "'none') || ' ' || coalesce(to_regclass('shop_orders.orders')::text, 'none')")) {
                row.next();
                seen = row.getString(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"FULL", "LITE"})
    void modulesAreMigratedBeforeTheApplicationsStartupObserversRun(Kind kind) {
        StartupReport.seen = null;
        try (WeldContainer container = Containers.start(kind, ownPool(), UsersModule.class, OrdersModule.class,
                StartupReport.class)) {
            assertThat(StartupReport.seen).isEqualTo("users.accounts shop_orders.orders");
        }
    }

    @ApplicationScoped
    static class Reports {
        @Inject
        ModuleDatabase db;

        @Inject
        @Module("billing")
        ModuleDatabase billing;
    }

    @Test
    void buildCompatibleExtensionReportsTheSameProblems() {
        assertThatThrownBy(() -> Containers.start(Kind.LITE, ownPool(), OrdersModule.class).close())
                .hasStackTraceContaining("Module orders depends on users, which is not a module here");
        // Weld's translator reports an extension's errors after Weld's own validation, so here Weld names the
        // injection point first; Quarkus reports both (it/quarkus).
        assertThatThrownBy(() -> Containers.start(Kind.LITE, ownPool(), UsersModule.class, Reports.class).close())
                .hasStackTraceContaining(Reports.class.getName() + ".billing");
    }

    @Test
    void failingStartUpMigrationStopsTheLiteContainer() {
        assertThatThrownBy(() -> Containers.start(Kind.LITE, ownPool(), StartupTest.BrokenModule.class).close())
                .hasStackTraceContaining("pgdbm: migrating module broken failed at 002_broken.sql line 2; the "
                        + "application does not start.");
    }
}
