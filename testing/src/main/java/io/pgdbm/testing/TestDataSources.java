package io.pgdbm.testing;

import io.pgdbm.core.DataSourceProvider;
import io.pgdbm.core.DatabaseConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Hands the pool of a test database in use to any {@code Pgdbm.create} for its URL (found through
 * {@code META-INF/services}), so a CDI container started inside the test runs its modules on the test's own pool:
 * they join the test's transactions, its {@link PgdbmTestDatabase#rollback()} scope included, and open no second pool.
 * Not API: the extension registers and withdraws the pools itself.
 */
public final class TestDataSources implements DataSourceProvider {

    private static final Map<String, DataSource> IN_USE = new ConcurrentHashMap<>();

    /** Found through {@link java.util.ServiceLoader}. */
    public TestDataSources() {
    }

    static void add(String url, DataSource dataSource) {
        IN_USE.put(url, dataSource);
    }

    static void remove(String url) {
        IN_USE.remove(url);
    }

    @Override
    public Optional<DataSource> dataSource(DatabaseConfig config) {
        return config.url().map(IN_USE::get);
    }
}
