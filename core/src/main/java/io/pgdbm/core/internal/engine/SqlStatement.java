package io.pgdbm.core.internal.engine;

import io.pgdbm.TemplateException;
import io.pgdbm.core.internal.mapping.Mappers;
import io.pgdbm.core.internal.mapping.ReadContext;
import io.pgdbm.core.internal.mapping.ResultMapper;
import io.pgdbm.core.internal.sql.StatementCount;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One SQL text as a module renders it, cached so a hot query pays template parsing, the statement count and mapper
 * construction once. Holds the mapper last used with it: almost every statement is mapped to one type, so one slot
 * is enough.
 */
final class SqlStatement {

    private static final int MAX_SQL_IN_MESSAGE = 1000;

    final String text;
    final int version;
    /** Whether a value read back that cannot be converted may be shown in the message. */
    private final boolean logValues;
    private volatile ResultMapper<?> mapper;
    /**
     * Counted on the first call that runs the text, not when it is only rendered (migrations render whole files).
     * Not volatile: a thread that sees {@code null} counts again and gets the same immutable answer.
     */
    private StatementCount count;

    SqlStatement(String text, int version, boolean logValues) {
        this.text = text;
        this.version = version;
        this.logValues = logValues;
    }

    /** What a failed conversion of a value this statement returns names. */
    ReadContext reads(String module) {
        return new ReadContext(module, text, logValues);
    }

    /**
     * Refuses a text of more than one statement before anything is sent. pgjdbc splits a prepared statement's text
     * at semicolons and runs every piece, so without this a {@code {{tables...}}} name spliced from input
     * ({@code x}}; DROP TABLE t; --}) would run a statement of its own.
     *
     * @param call the {@code ModuleDatabase} method, for the message
     */
    void checkOneStatement(String module, String call) {
        StatementCount counted = count;
        if (counted == null) {
            counted = StatementCount.of(text);
            count = counted;
        }
        if (!counted.isOne()) {
            throw refused(module, call, counted);
        }
    }

    private TemplateException refused(String module, String call, StatementCount counted) {
        String sql = text.length() <= MAX_SQL_IN_MESSAGE ? text : text.substring(0, MAX_SQL_IN_MESSAGE) + "... ("
                + (text.length() - MAX_SQL_IN_MESSAGE) + " more characters)";
        if (counted.onlyWithBackslashEscapes()) {
            return new TemplateException(module + " - " + call + " refused SQL that holds " + counted.statements()
                    + " statements where a backslash escapes the quote after it (standard_conforming_strings off): "
                    + "a call runs one statement. Nothing was sent to the server.\n  SQL: " + sql
                    + "\n  Hint: write a string with a backslash as E'...', doubling the backslash (E'\\\\' rather "
                    + "than '\\'), so that it reads the same whatever the server's setting", null);
        }
        return new TemplateException(module + " - " + call + " refused SQL that holds " + counted.statements()
                + " statements: a call runs one statement. Nothing was sent to the server.\n  SQL: " + sql
                + "\n  Hint: run multi-statement DDL as a migration, or make one call per statement. If a "
                + "{{tables...}} name was built from input, it carried SQL in: never build template names from input",
                null);
    }

    @SuppressWarnings("unchecked")
    <T> ResultMapper<T> mapper(Class<T> type, ResultSet resultSet, String module) throws SQLException {
        ResultMapper<?> cached = mapper;
        if (cached != null && cached.fits(type, resultSet)) {
            return (ResultMapper<T>) cached;
        }
        ResultMapper<T> created = Mappers.create(type, resultSet, reads(module));
        mapper = created;
        return created;
    }
}
