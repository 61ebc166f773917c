package io.pgdbm.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps a test class that a test runs through {@link Launched} (one that misuses the extension on purpose, fails on
 * purpose, or blocks until killed) from running on its own: surefire skips nested classes, an IDE may not.
 */
final class LaunchedOnly implements ExecutionCondition {

    static final String PARAMETER = "pgdbm.testing.launched";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).filter("true"::equals).isPresent()
                ? ConditionEvaluationResult.enabled("launched by a test")
                : ConditionEvaluationResult.disabled("runs only when a test launches it");
    }
}
