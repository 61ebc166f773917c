package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A @Nested class shares the database of its enclosing class in the per-class modes; none is left behind. */
class NestedClassesTest {

    @Test
    void aNestedClassSharesThePerClassDatabaseAndNothingIsLeftBehind() {
        PerClass.SEEN.clear();

        List<Launched.Outcome> outcomes = Launched.run(PerClass.class);

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.succeeded()).as(outcome.toString()).isTrue());
        assertThat(PerClass.SEEN).hasSize(3).containsOnly(PerClass.SEEN.get(0));
        assertLeftNothingBehind(PerClass.SEEN);
    }

    @Test
    void aNestedClassInRollbackModeRollsEachOfItsTestsBackOnTheSameDatabase() {
        Rollback.SEEN.clear();

        List<Launched.Outcome> outcomes = Launched.run(Rollback.class);

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.succeeded()).as(outcome.toString()).isTrue());
        assertThat(Rollback.SEEN).hasSize(2).containsOnly(Rollback.SEEN.get(0));
        assertLeftNothingBehind(Rollback.SEEN);
    }

    private static void assertLeftNothingBehind(List<String> databases) {
        PgdbmTestServer server = PgdbmTestServer.shared();
        server.background().awaitIdle();
        assertThat(server.databases()).doesNotContainAnyElementsOf(databases);
    }

    @ExtendWith(LaunchedOnly.class)
    static class PerClass {

        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users").perClass();

        @Test
        void outer() {
            SEEN.add(db.databaseName());
        }

        @Nested
        class Inner {

            @Test
            void inner() {
                SEEN.add(db.databaseName());
            }

            @Nested
            class Innermost {

                @Test
                void innermost() {
                    SEEN.add(db.databaseName());
                }
            }
        }
    }

    @ExtendWith(LaunchedOnly.class)
    static class Rollback {

        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users").rollback();

        @Test
        void outer(@Injected ModuleDatabase users) {
            SEEN.add(db.databaseName());
            users.execute("INSERT INTO {{tables.accounts}} (email) VALUES ('outer@example.com')");
        }

        @Nested
        class Inner {

            @Test
            void inner(@Injected ModuleDatabase users) {
                SEEN.add(db.databaseName());
                assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isZero();
            }
        }
    }
}
