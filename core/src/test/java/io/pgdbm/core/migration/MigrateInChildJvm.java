package io.pgdbm.core.migration;

import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second deployer in its own JVM, for the tests that need one: migrates one module and prints what it applied.
 * Arguments: JDBC URL, user, module, migrations directory, and optionally a file to wait for: the child then prints
 * {@code ready} once connected and starts when the file appears, so several children start at once.
 */
public final class MigrateInChildJvm {

    private MigrateInChildJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        DatabaseConfig config = DatabaseConfig.builder().url(args[0]).username(args[1]).poolMaxSize(2).poolMinIdle(0)
                .build();
        try (Pgdbm pgdbm = Pgdbm.create(config)) {
            if (args.length > 4) {
                System.out.println("ready");
                System.out.flush();
                Path go = Path.of(args[4]);
                while (!Files.exists(go)) {
                    Thread.sleep(5);
                }
            }
            long started = System.nanoTime();
            MigrationResult result = new Migrator(pgdbm, pgdbm.module(args[2]),
                    MigrationFiles.fromDirectory(args[2], Path.of(args[3])), MigrationOptions.defaults()).migrate();
            System.out.println("applied=" + result.applied().size() + " millis="
                    + (System.nanoTime() - started) / 1_000_000);
        }
    }
}
