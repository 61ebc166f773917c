/**
 * Per-module migrations, as four steps: resolve (the files of a module, {@link io.pgdbm.core.migration.MigrationFiles}),
 * record (the module's history table), compare (status per file) and act (apply under the module's advisory lock).
 */
package io.pgdbm.core.migration;
