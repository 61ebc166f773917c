/**
 * Internal: owned HikariCP pools, start-up connection retries, URL parsing, the sockets' keep-alive timings and the
 * migration connection's socket timeout.
 */
package io.pgdbm.core.internal.pool;
