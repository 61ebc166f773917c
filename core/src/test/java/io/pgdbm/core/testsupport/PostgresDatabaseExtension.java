package io.pgdbm.core.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh database of its own on the shared {@link PostgresServer}: created before the class's
 * first test, dropped after its last one (also when tests fail), and handed to any {@link TestDatabase} parameter of
 * the constructor, {@code @BeforeAll}, {@code @BeforeEach}, {@code @AfterEach}, {@code @AfterAll} and test methods.
 * Tests of one class share the database; a {@code @Nested} class gets one of its own.
 *
 * <pre>{@code
 * @ExtendWith(PostgresDatabaseExtension.class)
 * class TransactionsTest {
 *
 *     @Test
 *     void commitsWhenWorkReturns(TestDatabase database) { ... }
 * }
 * }</pre>
 */
public final class PostgresDatabaseExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresDatabaseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return database(extensionContext);
    }

    /**
     * The database of the test class that {@code context} belongs to, created on first request. Besides
     * {@link #beforeAll}, constructor injection can be first: with {@code @TestInstance(PER_CLASS)} JUnit creates the
     * instance before any before-all callback runs.
     */
    private static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        String hint = classContext.getTestClass().map(Class::getSimpleName).orElse("test");
        // Stored in the class's context: JUnit closes AutoCloseable values when that context ends, whatever the tests'
        // outcome, which drops the database (Store.CloseableResource is deprecated for exactly this since JUnit 5.13).
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(classContext.getUniqueId(),
                key -> PostgresServer.shared().createDatabase(hint), TestDatabase.class);
    }
}
