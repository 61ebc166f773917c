/**
 * Per-module migrations, as four steps: resolve (a module's files, {@link io.pgdbm.core.migration.MigrationFiles}),
 * record (its history table), compare (a status per file) and act (apply under the module's advisory lock,
 * {@link io.pgdbm.core.migration.Migrator}).
 */
package io.pgdbm.core.migration;
