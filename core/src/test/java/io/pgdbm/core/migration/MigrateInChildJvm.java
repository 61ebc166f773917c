package io.pgdbm.core.migration;

import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import java.nio.file.Path;

/**
 * A second deployer in its own JVM, for the tests that need one: migrates one module and prints what it applied.
 * Arguments: JDBC URL, user, module, migrations directory.
 */
public final class MigrateInChildJvm {

    private MigrateInChildJvm() {
    }

    public static void main(String[] args) {
        DatabaseConfig config = DatabaseConfig.builder().url(args[0]).username(args[1]).poolMaxSize(2).poolMinIdle(0)
                .build();
        try (Pgdbm pgdbm = Pgdbm.create(config)) {
            MigrationResult result = new Migrator(pgdbm, pgdbm.module(args[2]),
                    MigrationFiles.fromDirectory(args[2], Path.of(args[3])), MigrationOptions.defaults()).migrate();
            System.out.println("applied " + result.applied().size());
        }
    }
}
