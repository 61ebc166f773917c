package io.pgdbm.testing;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Serves the {@code pgdbm.datasource.*} settings of the test database in use to MicroProfile Config, so a CDI container
 * started inside a test (weld-junit5, Quarkus) runs pgdbm on it with no configuration of its own. Found through
 * {@code META-INF/services}; empty outside a test. Its ordinal, 350, puts it above {@code microprofile-config.properties}
 * and environment variables, below system properties.
 *
 * <p>A container that starts between the tests of a class whose {@link PgdbmTestDatabase} is in {@code create()} mode
 * (a database per test, which exists only from the test's own set-up on: weld-junit5 starts its container before it)
 * cannot have that test's database: asking for {@code pgdbm.datasource.url} then, on the thread that runs the class,
 * throws an {@link IllegalStateException} that says to use {@code perClass()} or {@code rollback()}, instead of
 * letting pgdbm report that no datasource is configured.
 */
public final class PgdbmTestConfigSource implements ConfigSource {

    /** Found through {@link java.util.ServiceLoader}. */
    public PgdbmTestConfigSource() {
    }

    @Override
    public Map<String, String> getProperties() {
        return CurrentSettings.current();
    }

    @Override
    public Set<String> getPropertyNames() {
        return CurrentSettings.current().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        String problem = CurrentSettings.problem(propertyName);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        return CurrentSettings.current().get(propertyName);
    }

    @Override
    public String getName() {
        return "pgdbm-testing";
    }

    @Override
    public int getOrdinal() {
        return 350;
    }
}
