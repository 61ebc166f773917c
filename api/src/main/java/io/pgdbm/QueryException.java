package io.pgdbm;

import java.sql.SQLException;

/**
 * A statement failed on the server (or in the driver while running it).
 *
 * <p>Carries the SQLState ({@link #getSqlState()}), the module that ran it ({@link #module()}) and the rendered SQL
 * ({@link #sql()}). Bound values never appear in the message or the cause unless {@code pgdbm.log-values} is on; the
 * server's detail line, which echoes values ({@code Key (email)=(...) already exists}), is left out the same way.
 * The cause is the driver's {@link SQLException} (sanitised the same way), so its SQLState stays reachable, and so do
 * the exceptions under it that tell failures apart, such as a {@code java.net.SocketTimeoutException} or a
 * {@code java.io.EOFException} under a lost connection.
 *
 * <p>A value read back that cannot become the Java type asked for (a {@code text} column read as {@code UUID}, a
 * {@code bigint} that does not fit an {@code Integer}) is a {@code QueryException} too, from every read path: the
 * message names the module, the column, its SQL type and the Java type, and hides the value the same way. Its
 * SQLState is the driver's when the driver refused, else the one PostgreSQL gives the same cast: {@code 22P02}
 * (text that is not a valid value of the type), {@code 22003} (a number that does not fit), {@code 22004} (NULL for a
 * primitive), {@code 42846} (no conversion between the two types).
 *
 * <pre>{@code
 * try {
 *     users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
 * } catch (QueryException e) {
 *     if (e.isUniqueViolation()) { ... }
 * }
 * }</pre>
 */
public class QueryException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final String module;
    private final String sql;
    private final String constraint;

    public QueryException(String message, String sqlState, String module, String sql, String constraint,
            Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.module = module;
        this.sql = sql;
        this.constraint = constraint;
    }

    /** The five-character SQLState the server reported (e.g. {@code 23505}), or {@code null} if there was none. */
    public String getSqlState() {
        return sqlState;
    }

    /** The name of the module whose {@link ModuleDatabase} ran the statement. */
    public String module() {
        return module;
    }

    /** The SQL as sent to the server: templates expanded, values still as {@code ?} placeholders. */
    public String sql() {
        return sql;
    }

    /** The violated constraint's name, when the server named one; otherwise {@code null}. */
    public String constraint() {
        return constraint;
    }

    /** SQLState 23505: a unique or primary-key constraint was violated. */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState);
    }

    /** SQLState 23503: a foreign-key constraint was violated. */
    public boolean isForeignKeyViolation() {
        return "23503".equals(sqlState);
    }

    /** SQLState 40001 or 40P01: a serialization failure or deadlock; the transaction may succeed if retried. */
    public boolean isRetryable() {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }

    /** SQLState 57014: the statement was cancelled, usually by {@code statement_timeout}. */
    public boolean isTimeout() {
        return "57014".equals(sqlState);
    }

    /** SQLState 55P03: a lock could not be had within {@code lock_timeout}. */
    public boolean isLockTimeout() {
        return "55P03".equals(sqlState);
    }

    /**
     * The connection to the server was lost: SQLState class {@code 08} (connection exception: the network failed or
     * the server closed the socket), {@code 57P01} (the session was terminated, e.g. by {@code pg_terminate_backend}
     * or a fast shutdown), {@code 57P02} (the server crashed) or {@code 57P03} (the server is starting or stopping).
     *
     * <p>The connection is gone: a transaction open on it was rolled back, and a statement sent outside a transaction
     * may or may not have taken effect. The pool drops such a connection, so retrying the whole unit of work gets a
     * fresh one (once the server is back).
     *
     * <pre>{@code
     * try {
     *     orders.useTransaction(tx -> placeOrder(tx, order));
     * } catch (QueryException e) {
     *     if (e.isConnectionLost() || e.isRetryable()) { ... retry the transaction ... }
     * }
     * }</pre>
     */
    public boolean isConnectionLost() {
        return sqlState != null && (sqlState.startsWith("08") || "57P01".equals(sqlState)
                || "57P02".equals(sqlState) || "57P03".equals(sqlState));
    }
}
