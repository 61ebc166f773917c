package io.pgdbm;

/**
 * No connection to PostgreSQL could be had: the server refused or was unreachable after every start-up attempt,
 * authentication failed, or the pool had no free connection within its acquire timeout.
 *
 * <p>The message names the target (host, port, database), what was tried, and the setting to change.
 * {@link #attempts()} tells how many connection attempts were made; the failure of each earlier attempt is attached
 * as a {@linkplain #getSuppressed() suppressed} exception.
 */
public class ConnectionException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final int attempts;
    private final String sqlState;

    public ConnectionException(String message, int attempts, String sqlState, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.sqlState = sqlState;
    }

    /** How many times a connection was attempted before giving up (1 when the failure was not worth retrying). */
    public int attempts() {
        return attempts;
    }

    /** The SQLState of the last failure, or {@code null} when the driver gave none. */
    public String getSqlState() {
        return sqlState;
    }
}
