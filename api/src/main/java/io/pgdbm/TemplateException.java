package io.pgdbm;

/**
 * A {@code {{...}}} placeholder in SQL is malformed or unknown. Thrown while rendering, before any SQL reaches the
 * server, so nothing has been executed.
 *
 * <pre>{@code
 * db.execute("DELETE FROM {{tables.x\"; drop table y}}");   // throws TemplateException naming the placeholder
 * }</pre>
 */
public class TemplateException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String placeholder;

    public TemplateException(String message, String placeholder) {
        super(message);
        this.placeholder = placeholder;
    }

    /** The offending placeholder text, braces included, exactly as it appeared in the SQL. */
    public String placeholder() {
        return placeholder;
    }
}
