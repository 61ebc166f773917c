package io.pgdbm.core;

/**
 * A snapshot of a connection pool's state, in HikariCP's terms.
 *
 * @param total connections open (active + idle)
 * @param active connections lent out
 * @param idle connections open and free
 * @param waiting threads waiting for a connection
 * @param max the most connections the pool may open
 */
public record PoolStats(int total, int active, int idle, int waiting, int max) {

    /** {@code total=10, active=10, idle=0, waiting=3}, as HikariCP prints it. */
    @Override
    public String toString() {
        return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting;
    }
}
