package io.pgdbm.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * A module as the command line knows it.
 *
 * @param name the module name (the migration lock and history rows are keyed by it)
 * @param schema its schema
 * @param migrations the folder of its migration files
 * @param dependsOn modules migrated before it
 * @param migrate {@code false} when {@code pgdbm.module."<name>".migrate} is: {@code migrate} skips it
 */
record ModuleSpec(String name, String schema, Path migrations, List<String> dependsOn, boolean migrate) {
}
