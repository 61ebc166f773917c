package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.extension.fixtures.UsersModule;
import io.pgdbm.testing.PgdbmTestDatabase;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pgdbm-testing's rollback mode with a CDI container: the code under test writes through its own injected
 * {@code ModuleDatabase}, and that is rolled back after each test like the test's own writes, because the container's
 * modules run on the test database's pool and join the test's transaction.
 */
@EnableWeld
class TestingModuleRollbackTest {

    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create().rollback();

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld().addExtension(new PgdbmExtension())
            .addBeanClasses(UsersModule.class)).build();

    @Inject
    UsersModule users;

    @RepeatedTest(2)
    void whatTheContainersModulesWriteIsRolledBackAfterEachTest() {
        assertThat(users.db().fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class))
                .as("nothing left by the test before").isZero();

        users.create("ada@example.com");

        assertThat(users.db().isInTransaction()).as("the module joined the test's transaction").isTrue();
        assertThat(db.pgdbm().module("probe").fetchValue("SELECT count(*) FROM users.accounts", Long.class))
                .as("the test sees the write on its own connection").isEqualTo(1L);
        assertThat(users.db().fetchValue("SELECT pg_backend_pid()", Integer.class))
                .isEqualTo(db.pgdbm().module("probe").fetchValue("SELECT pg_backend_pid()", Integer.class));
    }
}
