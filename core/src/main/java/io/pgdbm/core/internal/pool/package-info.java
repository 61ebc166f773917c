/** Internal: owned HikariCP pools, start-up connection retries, URL parsing. */
package io.pgdbm.core.internal.pool;
