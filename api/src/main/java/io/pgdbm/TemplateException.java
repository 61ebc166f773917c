package io.pgdbm;

/**
 * A {@code {{...}}} placeholder in SQL is malformed or unknown, or the rendered SQL of a call holds more than one
 * statement. Thrown before any SQL reaches the server, so nothing has been executed.
 *
 * <p>A message about a placeholder is one line: every control character of the SQL it quotes, line feeds and tabs
 * included, is written as a Java escape (a line feed as <code>&#92;u000a</code>); {@link #placeholder()} keeps the text
 * as it was. A refusal of SQL that holds more than one statement (no placeholder at fault) keeps its lines, as a
 * {@link QueryException} does: the statement on a line of its own, then how to fix it; other control characters are
 * escaped there too.
 *
 * <pre>{@code
 * db.execute("DELETE FROM {{tables.x\"; drop table y}}");   // throws TemplateException naming the placeholder
 * db.execute("DELETE FROM {{tables.x}}; DROP TABLE y");     // throws TemplateException: 2 statements
 * }</pre>
 */
public class TemplateException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String placeholder;

    public TemplateException(String message, String placeholder) {
        super(Messages.printable(message, placeholder == null));
        this.placeholder = placeholder;
    }

    /**
     * The offending placeholder text, braces included, exactly as it appeared in the SQL; {@code null} when no
     * placeholder is at fault but the SQL holds more than one statement.
     */
    public String placeholder() {
        return placeholder;
    }
}
