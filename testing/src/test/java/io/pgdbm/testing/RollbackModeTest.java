package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One database for the class; each test, its set-up included, rolled back, even what code under test committed; no
 * database made or dropped per test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackModeTest {

    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users").rollback();

    /** Code under test: holds its own ModuleDatabase and commits its own transactions. */
    static final class Registrations {
        private final ModuleDatabase users;

        Registrations(ModuleDatabase users) {
            this.users = users;
        }

        long register(String email) {
            return users.inTransaction(tx -> tx.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) "
                    + "RETURNING id", Long.class, email));
        }
    }

    private static String firstDatabase;
    private static List<String> databasesDuringFirst;

    @BeforeEach
    void seed(@Injected ModuleDatabase users) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES ('seed@example.com')");
    }

    @Test
    @Order(1)
    void whatATestAndItsCodeUnderTestWriteIsVisibleInsideIt(@Injected ModuleDatabase users) {
        firstDatabase = db.databaseName();
        databasesDuringFirst = databasesOnceIdle();
        new Registrations(db.module("users")).register("ada@example.com");

        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(2L);
    }

    @Test
    @Order(2)
    void andGoneInTheNextTestOnTheSameDatabase(@Injected ModuleDatabase users) {
        assertThat(db.databaseName()).isEqualTo(firstDatabase);
        assertThat(users.fetchAll("SELECT email FROM {{tables.accounts}}", String.class))
                .containsExactly("seed@example.com");
    }

    @Test
    @Order(3)
    void betweenTestsOnlyATransactionEndsNoDatabaseIsMadeOrDropped() {
        assertThat(databasesOnceIdle()).isEqualTo(databasesDuringFirst);
        assertThat(db.pgdbm().poolStats().orElseThrow().active()).as("the rollback scope's connection").isOne();
    }

    private static List<String> databasesOnceIdle() {
        PgdbmTestServer server = PgdbmTestServer.shared();
        server.background().awaitIdle();
        return server.databases();
    }
}
