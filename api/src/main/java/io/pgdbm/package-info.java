/**
 * The pgdbm API: what applications and libraries write against.
 *
 * <p>{@link io.pgdbm.ModuleDatabase} is the one facade: a database bound to one module's schema, with templated SQL
 * ({@code {{tables.accounts}}}), typed fetches, batches, COPY, streams and thread-bound transactions with savepoints.
 * Every failure is a {@link io.pgdbm.PgdbmException}, which is unchecked.
 */
package io.pgdbm;
