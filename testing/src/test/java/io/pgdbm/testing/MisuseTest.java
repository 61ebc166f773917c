package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mistakes in using the extension fail the test with a message that says how to fix them. */
class MisuseTest {

    @Test
    void aNonStaticFieldFailsSayingToMakeItStatic() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(NonStaticField.class));

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.thrown()).isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageContaining("the non-static field NonStaticField.db")
                    .hasMessageContaining("@RegisterExtension static final PgdbmTestDatabase db");
        });
    }

    @Test
    void aModuleFieldWithoutInjectedFailsSayingToAddIt() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(ModuleFieldWithoutInjected.class));

        assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(outcome.thrown())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Field ModuleFieldWithoutInjected.users is @Module but not @Injected")
                .hasMessageContaining("Add @Injected"));
    }

    @Test
    void anInjectedParameterOfAnotherTypeFailsNamingTheTypesItFills() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(InjectedInteger.class));

        assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(outcome.thrown())
                .hasRootCauseMessage("Parameter 0 (Integer) of takesAnInteger is @Injected, but PgdbmTestDatabase "
                        + "fills only ModuleDatabase (with @Module(\"name\") when there are several modules), "
                        + "DataSource, Pgdbm, PgdbmTestDatabase and String (the JDBC URL), not java.lang.Integer"));
    }

    @Test
    void testsOfOneClassRunInParallelFailSayingHowToRunThemOneAtATime() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(ConcurrentTests.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2")));

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes).filteredOn(Launched.Outcome::succeeded).hasSize(1);
        assertThat(outcomes).filteredOn(outcome -> !outcome.succeeded()).singleElement()
                .satisfies(outcome -> assertThat(outcome.thrown())
                        .isInstanceOf(ExtensionConfigurationException.class)
                        .hasMessageContaining("tests of one class run concurrently")
                        .hasMessageContaining("@Execution(ExecutionMode.SAME_THREAD)"));
    }

    @ExtendWith(LaunchedOnly.class)
    static class NonStaticField {

        @RegisterExtension
        final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        @Test
        void needsADatabase() {
            db.databaseName();
        }
    }

    @ExtendWith(LaunchedOnly.class)
    static class ModuleFieldWithoutInjected {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        @Module("users")
        ModuleDatabase users;

        @Test
        void usesTheField() {
            users.execute("SELECT 1");
        }
    }

    @ExtendWith(LaunchedOnly.class)
    static class InjectedInteger {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        @Test
        void takesAnInteger(@Injected Integer number) {
        }
    }

    /**
     * Two tests that reach the extension together: {@link Gate} holds each before it until both are there, and the
     * one that gets the database holds it until the other has failed.
     */
    @ExtendWith(LaunchedOnly.class)
    static class ConcurrentTests {

        static final CyclicBarrier BOTH_ARRIVED = new CyclicBarrier(2);
        static final CountDownLatch OTHER_DONE = new CountDownLatch(1);

        @RegisterExtension
        @Order(1)
        static final Gate GATE = new Gate();

        @RegisterExtension
        @Order(2)
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        @Test
        void one() throws InterruptedException {
            OTHER_DONE.await(30, TimeUnit.SECONDS);
        }

        @Test
        void two() throws InterruptedException {
            OTHER_DONE.await(30, TimeUnit.SECONDS);
        }

        static final class Gate implements BeforeEachCallback, AfterEachCallback {

            @Override
            public void beforeEach(ExtensionContext context) throws Exception {
                BOTH_ARRIVED.await(30, TimeUnit.SECONDS);
            }

            @Override
            public void afterEach(ExtensionContext context) {
                if (context.getExecutionException().isPresent()) {
                    OTHER_DONE.countDown();
                }
            }
        }
    }
}
