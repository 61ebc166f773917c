package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.fixtures.Checkout;
import io.pgdbm.extension.fixtures.NotesModule;
import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.util.Map;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every injection form and the start-up migration, in one Weld SE container per test (weld-junit5). */
@ExtendWith(TestDatabase.PerClass.class)
@EnableWeld
class ExtensionTest {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
            .addExtension(new PgdbmExtension())
            .addBeanClasses(UsersModule.class, OrdersModule.class, Checkout.class, NotesModule.class)).build();

    @Inject
    UsersModule usersModule;

    @Inject
    OrdersModule ordersModule;

    @Inject
    Checkout checkout;

    @Inject
    @Module("orders")
    ModuleDatabase orders;

    @Inject
    @Any
    Instance<ModuleDatabase> anyModule;

    @Inject
    DatabaseModules modules;

    @Inject
    NotesModule notesModule;

    @Inject
    @Named("notesSchema")
    String notesSchema;

    @BeforeAll
    static void configure(TestDatabase database) {
        Containers.configure(Thread.currentThread().getContextClassLoader(), Map.of(
                "pgdbm.datasource.url", database.jdbcUrl(),
                "pgdbm.datasource.username", database.username(),
                "pgdbm.datasource.password", database.password() == null ? "" : database.password(),
                "pgdbm.pool.max-size", "4",
                "pgdbm.pool.min-idle", "0"));
    }

    @AfterAll
    static void release() {
        Containers.release(Thread.currentThread().getContextClassLoader());
    }

    @Test
    void moduleBeansGetTheirOwnModuleByFieldConstructorInitializerAndProducerParameter() {
        assertThat(usersModule.db().name()).isEqualTo("users");
        assertThat(usersModule.db().schema()).isEqualTo("users");
        assertThat(ordersModule.db().name()).isEqualTo("orders");
        assertThat(ordersModule.db().schema()).isEqualTo("shop_orders");
        assertThat(notesModule.db().name()).isEqualTo("notes");
        assertThat(notesSchema).isEqualTo("notes");
    }

    @Test
    void anyBeanGetsAnyModuleByName() {
        assertThat(orders.schema()).isEqualTo("shop_orders");
        assertThat(checkout.users().schema()).isEqualTo("users");
        assertThat(anyModule.select(ModuleLiteral.of("users")).get().name()).isEqualTo("users");
        assertThat(anyModule.select(ModuleLiteral.of("nope")).isUnsatisfied()).isTrue();
        assertThat(modules.names()).containsExactly("notes", "users", "orders");
        assertThat(modules.module("orders").schema()).isEqualTo("shop_orders");
    }

    @Test
    void modulesAreMigratedInDependencyOrderBeforeTheApplicationRuns() {
        assertThat(modules.startupMigrations()).extracting(MigrationResult::module)
                .containsExactly("notes", "users", "orders");
        assertThat(usersModule.db().fetchAll("SELECT filename FROM {{tables.schema_migrations}} ORDER BY id",
                String.class)).containsExactly("001_accounts.sql", "002_names.sql");

        long account = usersModule.create("ada-" + System.nanoTime() + "@example.com");
        long order = ordersModule.place(account, new BigDecimal("12.50"));

        assertThat(orders.fetchValue("SELECT total FROM {{tables.orders}} WHERE id = ?", BigDecimal.class, order))
                .isEqualByComparingTo("12.50");
    }

    @Test
    void twoInjectedModulesChangeTheirTablesInOneTransaction() {
        long account = usersModule.create("grace-" + System.nanoTime() + "@example.com");

        assertThatThrownBy(() -> checkout.checkout(account, BigDecimal.TEN, true))
                .isInstanceOf(IllegalStateException.class).hasMessage("payment declined");
        assertThat(usersModule.db().fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = ?", Integer.class,
                account)).isZero();
        assertThat(orders.fetchValue("SELECT count(*) FROM {{tables.orders}} WHERE account_id = ?", Long.class,
                account)).isZero();

        checkout.checkout(account, BigDecimal.TEN, false);

        assertThat(usersModule.db().fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = ?", Integer.class,
                account)).isEqualTo(1);
        assertThat(orders.fetchValue("SELECT count(*) FROM {{tables.orders}} WHERE account_id = ?", Long.class,
                account)).isEqualTo(1L);
    }
}
