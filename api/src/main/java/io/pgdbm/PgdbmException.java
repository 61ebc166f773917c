package io.pgdbm;

/**
 * The root of every exception pgdbm throws. Unchecked, like Jdbi's {@code JdbiException} and Flyway's
 * {@code FlywayException}: catch it where you can act on it, and let it propagate elsewhere.
 *
 * <p>Subclasses name what failed: {@link QueryException} (a statement the server rejected),
 * {@link TemplateException} (a bad {@code {{...}}} placeholder, or more than one statement in a call's SQL, caught
 * before anything is sent),
 * {@link ConnectionException} (no connection could be had).
 */
public class PgdbmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PgdbmException(String message) {
        super(message);
    }

    public PgdbmException(String message, Throwable cause) {
        super(message, cause);
    }
}
