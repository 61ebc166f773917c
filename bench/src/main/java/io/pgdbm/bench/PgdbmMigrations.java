package io.pgdbm.bench;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationFile;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.core.migration.Migrator;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

/**
 * pgdbm's side of {@link MigrationBenchmark}: everything an application does to bring a module's schema up to date,
 * from a DataSource (or a URL) to "migrations checked". Each call starts from scratch, as a boot does: a {@link Pgdbm},
 * the module, the files resolved from their location, a {@link Migrator}, {@code migrate()}.
 *
 * <p>Locations are written as Flyway writes them, {@code filesystem:<directory>} or {@code classpath:<folder>}, so
 * both sides take the same arguments. Kept apart from {@link FlywayMigrations} so that a child JVM of
 * {@link FirstMigrationCheck} loads the classes of one side only.
 */
final class PgdbmMigrations {

    /** The module's name: it keys the migration lock and the history rows. */
    static final String MODULE = "bench";
    private static final String FILESYSTEM = "filesystem:";
    private static final String CLASSPATH = "classpath:";

    private PgdbmMigrations() {
    }

    /** Migrates the module in {@code schema} through a borrowed DataSource; returns how many files were applied. */
    static int migrate(DataSource dataSource, String schema, String location, ClassLoader loader) {
        return migrate(Pgdbm.wrap(dataSource), schema, location, loader).applied().size();
    }

    /**
     * What an application boot does with pgdbm owning the pool: creates it from the URL (which waits for the server
     * and opens the pool's first connection), then runs the start-up check, which must find nothing to apply.
     *
     * @return the open {@link Pgdbm}, for the caller to close once its timer has stopped
     */
    static AutoCloseable bootFromUrl(String url, String schema, String location, ClassLoader loader,
            int expectedFiles) {
        Pgdbm pgdbm = Pgdbm.create(DatabaseConfig.builder().url(url).build());
        requireUpToDate(migrate(pgdbm, schema, location, loader), expectedFiles);
        return pgdbm;
    }

    /** The start-up check through a borrowed DataSource, which must find nothing to apply. */
    static void checkWith(DataSource dataSource, String schema, String location, ClassLoader loader,
            int expectedFiles) {
        requireUpToDate(migrate(Pgdbm.wrap(dataSource), schema, location, loader), expectedFiles);
    }

    private static MigrationResult migrate(Pgdbm pgdbm, String schema, String location, ClassLoader loader) {
        ModuleDatabase module = pgdbm.module(MODULE, schema);
        List<MigrationFile> files = resolve(location, loader);
        return new Migrator(pgdbm, module, files, MigrationOptions.defaults()).migrate();
    }

    private static List<MigrationFile> resolve(String location, ClassLoader loader) {
        if (location.startsWith(FILESYSTEM)) {
            return MigrationFiles.fromDirectory(MODULE, Path.of(location.substring(FILESYSTEM.length())));
        }
        if (location.startsWith(CLASSPATH)) {
            return MigrationFiles.fromClasspath(MODULE, location.substring(CLASSPATH.length()), loader);
        }
        throw new IllegalArgumentException("Cannot read location " + location + ": write filesystem:<directory> or "
                + "classpath:<folder>");
    }

    private static void requireUpToDate(MigrationResult result, int expectedFiles) {
        if (!result.upToDate() || result.skipped().size() != expectedFiles) {
            throw new IllegalStateException("pgdbm's start-up check should have found " + expectedFiles + " applied "
                    + "files and nothing to apply, but applied " + result.applied().size() + " and skipped "
                    + result.skipped().size());
        }
    }
}
