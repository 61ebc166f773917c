package io.pgdbm.bench;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway's side of {@link MigrationBenchmark}, configured as a module would use it: {@code schemas} is the module's
 * schema (Flyway creates it when missing and keeps its own {@code flyway_schema_history} there), and the files come
 * from one location, {@code filesystem:} or {@code classpath:}. Everything else is Flyway's default, including
 * validate-on-migrate, which is what makes the start-up check check. Each call configures and loads a new
 * {@link Flyway}, as a boot does.
 *
 * <p>Kept apart from {@link PgdbmMigrations} so that a child JVM of {@link FirstMigrationCheck} loads the classes of
 * one side only.
 */
final class FlywayMigrations {

    private FlywayMigrations() {
    }

    /** Migrates {@code schema} through a DataSource; returns how many migrations were applied. */
    static int migrate(DataSource dataSource, String schema, String location, ClassLoader loader) {
        return configure(schema, location, loader).dataSource(dataSource).load().migrate().migrationsExecuted;
    }

    /**
     * What an application boot does with Flyway on its own: configures it with the URL (Flyway opens its own
     * connection), then runs the start-up check, which must find nothing to apply.
     *
     * @return {@code null}: Flyway holds nothing open between commands
     */
    static AutoCloseable bootFromUrl(String url, String schema, String location, ClassLoader loader) {
        requireUpToDate(configure(schema, location, loader).dataSource(url, null, null).load().migrate());
        return null;
    }

    /** The start-up check through a DataSource, which must find nothing to apply. */
    static void checkWith(DataSource dataSource, String schema, String location, ClassLoader loader) {
        requireUpToDate(configure(schema, location, loader).dataSource(dataSource).load().migrate());
    }

    private static FluentConfiguration configure(String schema, String location, ClassLoader loader) {
        return Flyway.configure(loader)
                .schemas(schema)
                .locations(location);
    }

    private static void requireUpToDate(MigrateResult result) {
        if (!result.success || result.migrationsExecuted != 0) {
            throw new IllegalStateException("Flyway's start-up check should have found nothing to apply, but applied "
                    + result.migrationsExecuted + " (success: " + result.success + ")");
        }
    }
}
