package io.pgdbm.core;

import java.util.Optional;
import javax.sql.DataSource;

/**
 * Supplies an existing DataSource where {@link Pgdbm#create(DatabaseConfig)} would open a pool of its own, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.pgdbm.core.DataSourceProvider}).
 *
 * <p>pgdbm-testing provides one: a CDI container started inside a test is configured with the test database's URL, and
 * its modules then run on the test's own pool instead of a second one, which puts them in the test's transactions
 * (the rollback mode). A {@code Pgdbm} made from a provided DataSource borrows it: it never closes it.
 */
public interface DataSourceProvider {

    /**
     * The DataSource to use for {@code config}, or empty to let pgdbm open its own pool. Called once per
     * {@link Pgdbm#create(DatabaseConfig)}; must be thread-safe.
     */
    Optional<DataSource> dataSource(DatabaseConfig config);
}
