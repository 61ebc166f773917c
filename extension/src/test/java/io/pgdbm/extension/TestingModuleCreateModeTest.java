package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgdbm.extension.fixtures.UsersModule;
import io.pgdbm.testing.PgdbmTestDatabase;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A weld-junit5 test with pgdbm-testing in its default mode, {@code create()}, cannot work: the container starts
 * before each test's database exists. It fails saying which mode to use, not only that no datasource is configured.
 */
class TestingModuleCreateModeTest {

    private static final String LAUNCHED = "pgdbm.extension.launched";

    @Test
    void containerInCreateModeFailsSayingToUsePerClassOrRollback() {
        List<String> failures = new ArrayList<>();
        List<String> tests = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(CreateMode.class)).configurationParameter(LAUNCHED, "true").build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                        if (identifier.isTest()) {
                            tests.add(identifier.getDisplayName() + ": " + result.getStatus());
                            result.getThrowable().ifPresent(e -> failures.add(stackTrace(e)));
                        }
                    }
                });

        assertThat(tests).containsExactlyInAnyOrder("usesTheModule(): FAILED", "usesTheModuleAgain(): FAILED");
        assertThat(failures).hasSize(2).allSatisfy(failure -> assertThat(failure).contains("pgdbm: start-up failed; "
                + "the application does not start. PgdbmTestDatabase.create() of CreateMode gives each test its own "
                + "database, which exists only from that test's own set-up on, and a CDI container asked for "
                + "pgdbm.datasource.url before it (weld-junit5's @EnableWeld starts its container before each test's "
                + "set-up). Register PgdbmTestDatabase.create().perClass() (one database for the class) or "
                + ".rollback() (one database, each test rolled back) for a test with a container, or start the "
                + "container inside the test"));
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Runs only when the test above launches it. */
    static final class LaunchedOnly implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(LAUNCHED).isPresent()
                    ? ConditionEvaluationResult.enabled("launched by a test")
                    : ConditionEvaluationResult.disabled("runs only when a test launches it");
        }
    }

    @ExtendWith(LaunchedOnly.class)
    @EnableWeld
    static class CreateMode {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create();

        @WeldSetup
        WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld().addExtension(new PgdbmExtension())
                .addBeanClasses(UsersModule.class)).build();

        @Inject
        UsersModule users;

        @Test
        void usesTheModule() {
            users.create("ada@example.com");
        }

        @Test
        void usesTheModuleAgain() {
            users.create("alan@example.com");
        }
    }
}
