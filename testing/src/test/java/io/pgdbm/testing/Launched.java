package io.pgdbm.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a test class through JUnit's launcher, in this JVM, and says how each test and container ended. */
final class Launched {

    /**
     * How one test or container ended.
     *
     * @param name its display name
     * @param test whether it is a test (else a container: a class)
     * @param status how it ended
     * @param failure why it failed
     */
    record Outcome(String name, boolean test, TestExecutionResult.Status status, Optional<Throwable> failure) {

        boolean succeeded() {
            return status == TestExecutionResult.Status.SUCCESSFUL;
        }

        /** Why it failed; an assertion error when it did not. */
        Throwable thrown() {
            return failure.orElseThrow(() -> new AssertionError("expected " + name + " to fail, but it ended "
                    + status));
        }

        @Override
        public String toString() {
            return name + ": " + status + failure.map(e -> " " + e).orElse("");
        }
    }

    private Launched() {
    }

    /** Runs {@code testClass}, enabling {@link LaunchedOnly}, with more configuration parameters. */
    static List<Outcome> run(Class<?> testClass, Map<String, String> configuration) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter(LaunchedOnly.PARAMETER, "true")
                .configurationParameters(configuration)
                .build();
        List<Outcome> outcomes = new ArrayList<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                if (identifier.isTest() || identifier.getSource().isPresent()) {
                    synchronized (outcomes) {
                        outcomes.add(new Outcome(identifier.getDisplayName(), identifier.isTest(),
                                result.getStatus(), result.getThrowable()));
                    }
                }
            }
        });
        return outcomes;
    }

    static List<Outcome> run(Class<?> testClass) {
        return run(testClass, Map.of());
    }

    /** The outcomes of tests (not classes). */
    static List<Outcome> tests(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome::test).toList();
    }
}
