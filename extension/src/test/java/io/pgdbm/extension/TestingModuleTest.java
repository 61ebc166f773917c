package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import io.pgdbm.testing.PgdbmTestDatabase;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testing module's way to test CDI code: a test database for the class, and a weld-junit5 container whose pgdbm
 * extension finds it through the config source pgdbm-testing provides; no configuration of its own.
 */
@EnableWeld
class TestingModuleTest {

    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create().perClass();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld().addExtension(new PgdbmExtension())
            .addBeanClasses(UsersModule.class, OrdersModule.class)).build();

    @Inject
    UsersModule users;

    @Inject
    OrdersModule orders;

    @RepeatedTest(2)
    void containerRunsTheModulesOnTheTestDatabase() {
        assertThat(users.db().fetchValue("SELECT current_database()", String.class)).isEqualTo(db.databaseName());

        long account = users.create("ada-" + System.nanoTime() + "@example.com");
        orders.place(account, BigDecimal.ONE);

        assertThat(db.pgdbm().module("users").fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class))
                .isPositive();
    }
}
