/**
 * The standalone engine: {@link io.pgdbm.core.Pgdbm} over a pool it owns or a DataSource it is given, configured by
 * {@link io.pgdbm.core.DatabaseConfig}. No container types: usable from a plain {@code main}, a CLI or a test.
 *
 * <pre>{@code
 * try (Pgdbm pgdbm = Pgdbm.create(DatabaseConfig.builder().url("jdbc:postgresql://localhost/app").build())) {
 *     ModuleDatabase users = pgdbm.module("users");
 *     users.execute("CREATE TABLE IF NOT EXISTS {{tables.accounts}} (id bigserial PRIMARY KEY, email text)");
 * }
 * }</pre>
 */
package io.pgdbm.core;
