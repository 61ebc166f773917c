package io.pgdbm.extension;

import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.testing.PgdbmTestServer;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * An empty database on pgdbm-testing's server for this JVM ({@link PgdbmTestServer}), for tests that wire pgdbm
 * themselves (an own pool, a named datasource, a container that starts twice); dropped by {@link #close()}.
 */
final class TestDatabase implements AutoCloseable {

    private final PgdbmTestServer.Database database;

    private TestDatabase(PgdbmTestServer.Database database) {
        this.database = database;
    }

    /** A new empty database. */
    static TestDatabase create() {
        return new TestDatabase(PgdbmTestServer.shared().newDatabase());
    }

    String name() {
        return database.name();
    }

    /** A JDBC URL of the database, without credentials. */
    String jdbcUrl() {
        return database.jdbcUrl();
    }

    String username() {
        return database.server().username();
    }

    /** {@code null} when the server trusts local connections (the embedded one does). */
    String password() {
        return database.server().password();
    }

    /** A configuration of an own pool on this database, with a short connect backoff for tests that expect failures. */
    DatabaseConfig.Builder configBuilder() {
        return DatabaseConfig.builder().url(jdbcUrl()).username(username()).password(password())
                .connectBackoff(Duration.ofMillis(50)).connectMaxBackoff(Duration.ofMillis(200));
    }

    /** An unpooled DataSource, for set-up and checks beside the code under test. */
    DataSource dataSource() {
        return database.server().dataSource(name());
    }

    @Override
    public void close() {
        database.close();
    }

    /**
     * Gives each test class a database of its own, created before its first test, dropped after its last one, and
     * handed to {@link TestDatabase} parameters.
     */
    static final class PerClass implements BeforeAllCallback, ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PerClass.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            database(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return database(context);
        }

        private static TestDatabase database(ExtensionContext context) {
            ExtensionContext classContext = context;
            while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
                classContext = classContext.getParent().get();
            }
            // JUnit closes AutoCloseable values of a store when its context ends, whatever the tests' outcome.
            return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(classContext.getUniqueId(),
                    key -> create(), TestDatabase.class);
        }
    }
}
