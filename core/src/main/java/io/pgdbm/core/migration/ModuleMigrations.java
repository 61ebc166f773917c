package io.pgdbm.core.migration;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import java.util.List;
import java.util.Objects;

/**
 * One module's migrations, as a set of modules is migrated: where they go, what they are, and which modules must be
 * migrated first.
 *
 * @param database the datasource the module lives on
 * @param module the module (its name keys the lock and the history, its schema receives the tables)
 * @param files its migration files, as {@link MigrationFiles} resolves them
 * @param dependsOn names of the modules whose migrations must be applied before this one's
 */
public record ModuleMigrations(Pgdbm database, ModuleDatabase module, List<MigrationFile> files,
        List<String> dependsOn) {

    public ModuleMigrations {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(module, "module");
        files = List.copyOf(files);
        dependsOn = List.copyOf(dependsOn);
    }

    /** The module's name. */
    public String name() {
        return module.name();
    }

    /** A migrator for this module with the given options. */
    public Migrator migrator(MigrationOptions options) {
        return new Migrator(database, module, files, options);
    }
}
