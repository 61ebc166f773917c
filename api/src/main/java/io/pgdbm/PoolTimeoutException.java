package io.pgdbm;

/**
 * The pool had no free connection within its acquire timeout ({@code pgdbm.pool.acquire-timeout}). The message carries
 * the pool's state at the time, in HikariCP's form {@code (total=10, active=10, idle=0, waiting=3)}.
 */
public class PoolTimeoutException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    public PoolTimeoutException(String message, String sqlState, Throwable cause) {
        super(message, 1, sqlState, cause);
    }
}
