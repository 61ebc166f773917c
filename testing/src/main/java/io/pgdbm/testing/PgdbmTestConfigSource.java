package io.pgdbm.testing;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Serves the {@code pgdbm.datasource.*} settings of the test database in use to MicroProfile Config, so a CDI container
 * started inside a test (weld-junit5, Quarkus) runs pgdbm on it with no configuration of its own. Found through
 * {@code META-INF/services}; empty outside a test. Its ordinal, 350, puts it above {@code microprofile-config.properties}
 * and environment variables, below system properties.
 */
public final class PgdbmTestConfigSource implements ConfigSource {

    private static volatile Map<String, String> current = Map.of();

    /** Makes {@code config} the settings served; {@code null}: none. */
    static void use(Map<String, String> config) {
        current = config == null ? Map.of() : Map.copyOf(config);
    }

    @Override
    public Map<String, String> getProperties() {
        return current;
    }

    @Override
    public Set<String> getPropertyNames() {
        return current.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return current.get(propertyName);
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
