package io.pgdbm;

/**
 * The root of every exception pgdbm throws. Unchecked, like Jdbi's {@code JdbiException} and Flyway's
 * {@code FlywayException}: catch it where you can act on it, and let it propagate elsewhere.
 *
 * <p>Subclasses name what failed: {@link QueryException} (a statement the server rejected),
 * {@link TemplateException} (a bad {@code {{...}}} placeholder, or more than one statement in a call's SQL, caught
 * before anything is sent),
 * {@link ConnectionException} (no connection could be had).
 *
 * <p>Messages are safe to log: control characters in them (NUL, carriage returns, U+2028, bidirectional overrides and
 * the like, which SQL, names or a server's answer may carry) are written as Java escapes
 * (<code>&#92;u0000</code>); only the line feeds and tabs that lay out a multi-line message stay.
 */
public class PgdbmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PgdbmException(String message) {
        super(Messages.printable(message, true));
    }

    public PgdbmException(String message, Throwable cause) {
        super(Messages.printable(message, true), cause);
    }
}
