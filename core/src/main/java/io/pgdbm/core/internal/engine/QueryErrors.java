package io.pgdbm.core.internal.engine;

import io.pgdbm.QueryException;
import io.pgdbm.core.internal.mapping.SanitisedCauses;
import java.io.IOException;
import java.lang.reflect.Array;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns driver exceptions into {@link QueryException}s whose message says what failed, where, and how to see more,
 * without leaking bound values unless {@code pgdbm.log-values} allows it.
 */
final class QueryErrors {

    private static final int MAX_SQL_IN_MESSAGE = 1000;
    private static final String MASK = "<hidden>";
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
    /**
     * Names in PostgreSQL's messages, which are never values: a quoted name after the word for what it names
     * ({@code encoding "UTF8"}, {@code column "email"}, {@code parameter "TimeZone"}), and a type or enum named
     * without quotes ({@code for type integer}, {@code type character varying(10)}, {@code enum mood}).
     */
    private static final Pattern NAMES = Pattern.compile("\\b(?:encoding|relation|column|constraint|table|schema"
            + "|index|sequence|function|procedure|type|operator|parameter|database|role|extension|view|trigger"
            + "|domain|collation|cursor|savepoint|publication|subscription|tablespace|statement|policy|server"
            + "|language|conversion|attribute) \"(?:[^\"]|\"\")*\""
            + "|\\btype [a-z_][a-z0-9_]*(?: precision| varying| with(?:out)? time zone)?(?:\\(\\d+(?:,\\d+)?\\))?"
            + "(?:\\[\\])*|\\benum [a-z_][a-z0-9_.]*");
    /** pgjdbc's own conversion messages end with the value: {@code Bad value for type int : abc}. */
    private static final Pattern DRIVER_BAD_VALUE = Pattern.compile("^(Bad value for type [^:]+?)( ?): .*$",
            Pattern.DOTALL);

    private final boolean logValues;
    private final SocketTimeoutHint socketTimeout;

    QueryErrors(boolean logValues, SocketTimeoutHint socketTimeout) {
        this.logValues = logValues;
        this.socketTimeout = socketTimeout;
    }

    QueryException query(String module, String sql, Object[] params, SQLException failure) {
        return query(module, sql, params, failure, null);
    }

    /**
     * A failed COMMIT: the message says what became of the transaction, nothing committed (the server rolled it
     * back, as it does for a deferred constraint or a serialization failure found at commit), or, when the connection
     * was lost while committing, that nobody can tell.
     */
    QueryException commit(String module, SQLException failure) {
        String state = failure.getSQLState();
        String lead = isConnectionLost(state)
                ? "COMMIT failed and whether the transaction was committed is unknown: the connection was lost while "
                        + "committing, so check for its changes before you retry"
                : "COMMIT failed, the transaction was rolled back and nothing was committed";
        return query(module, "COMMIT", null, failure, lead);
    }

    /**
     * @param lead what the failure meant, put before the server's message, or {@code null}
     */
    private QueryException query(String module, String sql, Object[] params, SQLException failure, String lead) {
        SQLException root = failure;
        if (failure instanceof BatchUpdateException && failure.getNextException() != null) {
            root = failure.getNextException();
        }
        String sqlState = root.getSQLState();
        ServerErrorMessage server = root instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        String primary = server != null && server.getMessage() != null ? server.getMessage() : root.getMessage();
        if (primary == null) {
            primary = root.getClass().getSimpleName();
        }
        boolean fromServer = server != null;
        if (!logValues) {
            primary = mask(primary, params, sqlState, fromServer);
        }
        StringBuilder message = new StringBuilder(module).append(" - ");
        if (lead != null) {
            message.append(lead).append(": ");
        }
        message.append(primary);
        IOException io = SanitisedCauses.ioCause(root);
        if (io != null) {
            // pgjdbc says "An I/O error occurred" for a timeout and a reset alike: what happened is underneath.
            message.append(" (").append(io.getClass().getName())
                    .append(io.getMessage() != null ? ": " + io.getMessage() : "").append(')');
        }
        if (sqlState != null) {
            message.append(" [SQLState ").append(sqlState).append(']');
        }
        if (sql != null) {
            message.append("\n  SQL: ").append(sql.length() <= MAX_SQL_IN_MESSAGE ? sql
                    : sql.substring(0, MAX_SQL_IN_MESSAGE) + "... (" + (sql.length() - MAX_SQL_IN_MESSAGE)
                            + " more characters)");
        }
        if (server != null && server.getPosition() > 0) {
            message.append("\n  Position: ").append(server.getPosition());
        }
        if (server != null && server.getDetail() != null && logValues) {
            message.append("\n  Detail: ").append(server.getDetail());
        }
        if (server != null && server.getHint() != null) {
            message.append("\n  Hint: ").append(logValues ? server.getHint()
                    : mask(server.getHint(), params, null, true));
        }
        message.append(socketTimeout.hint(failure));
        if (params != null && params.length > 0) {
            message.append("\n  Parameters: ");
            if (logValues) {
                message.append(describe(params));
            } else {
                message.append(params.length).append(params.length == 1 ? " value" : " values")
                        .append(" hidden (set pgdbm.log-values=true to show values and the server's detail)");
            }
        }
        if (lead == null && isConnectionLost(sqlState)) {
            message.append("\n  Connection lost: a transaction open on it was rolled back, and a statement sent "
                    + "outside one may or may not have taken effect. Retry the work on a new connection "
                    + "(QueryException.isConnectionLost())");
        }
        Throwable cause = logValues ? failure
                : SanitisedCauses.copy(root, primary, text -> mask(text, params, sqlState, false));
        return new QueryException(message.toString(), sqlState, module, sql,
                server != null ? server.getConstraint() : null, cause);
    }

    /** SQLState class 08 or 57P01 to 57P03, as {@link QueryException#isConnectionLost()} tells. */
    static boolean isConnectionLost(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || "57P01".equals(sqlState)
                || "57P02".equals(sqlState) || "57P03".equals(sqlState));
    }

    /**
     * Hides what may be a value in a message from the server or the driver: the text of any bound value, and for
     * data exceptions (SQLState class 22), whose quoted parts are the offending input, every quoted part. Names stay
     * ({@link #NAMES}): {@code invalid byte sequence for encoding "UTF8": 0x00} keeps its encoding and the bytes of
     * the one invalid character, which is what makes it readable. The driver's own messages lose what they quote and
     * the value that ends {@code Bad value for type int : ...}.
     */
    static String mask(String text, Object[] params, String sqlState, boolean fromServer) {
        if (text == null) {
            return null;
        }
        boolean quotesValues = !fromServer || (sqlState != null && sqlState.startsWith("22"));
        StringBuilder result = new StringBuilder(text.length());
        Matcher names = NAMES.matcher(text);
        int done = 0;
        while (names.find()) {
            result.append(maskValues(text.substring(done, names.start()), params, quotesValues))
                    .append(names.group());
            done = names.end();
        }
        result.append(maskValues(text.substring(done), params, quotesValues));
        String masked = result.toString();
        return fromServer ? masked : DRIVER_BAD_VALUE.matcher(masked).replaceAll("$1$2: " + MASK);
    }

    private static String maskValues(String text, Object[] params, boolean quotesValues) {
        String masked = mask(text, params);
        // Data exceptions quote the offending input ("invalid input syntax for type integer: \"abc\""), whatever
        // path it came by: a batch, a COPY row, an array element, a value printed unlike Java prints it.
        return quotesValues ? QUOTED.matcher(masked).replaceAll("\"" + MASK + "\"") : masked;
    }

    /** Hides the text of any bound value that the server echoed (e.g. {@code invalid input syntax ...: "abc"}). */
    static String mask(String text, Object[] params) {
        if (params == null || text == null) {
            return text;
        }
        String result = text;
        for (Object param : flatten(params)) {
            if (param == null || param instanceof Boolean) {
                continue;
            }
            String value = param instanceof byte[] ? null : String.valueOf(param);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (value.length() >= 4) {
                result = result.replace(value, MASK);
            } else {
                result = result.replace('"' + value + '"', '"' + MASK + '"').replace("(" + value + ")",
                        "(" + MASK + ")");
            }
        }
        return result;
    }

    /** The values themselves: array and collection parameters contribute their elements. */
    private static List<Object> flatten(Object[] params) {
        List<Object> values = new ArrayList<>();
        for (Object param : params) {
            if (param instanceof Object[] array) {
                values.addAll(flatten(array));
            } else if (param instanceof Collection<?> collection) {
                values.addAll(flatten(collection.toArray()));
            } else if (param != null && param.getClass().isArray() && !(param instanceof byte[])) {
                for (int i = 0; i < Array.getLength(param); i++) {
                    values.add(Array.get(param, i));
                }
            } else {
                values.add(param);
            }
        }
        return values;
    }

    /** The bound values as messages and logs may show them: the values, or only how many when values are hidden. */
    String parameters(Object[] params) {
        if (params == null || params.length == 0) {
            return "none";
        }
        if (logValues) {
            return describe(params);
        }
        return params.length + (params.length == 1 ? " value" : " values")
                + " hidden (set pgdbm.log-values=true to show them)";
    }

    static String describe(Object[] params) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            Object value = params[i];
            if (value instanceof CharSequence) {
                text.append('\'').append(value).append('\'');
            } else if (value instanceof byte[] bytes) {
                text.append("<").append(bytes.length).append(" bytes>");
            } else if (value != null && value.getClass().isArray()) {
                text.append(java.util.Arrays.deepToString(new Object[] {value}), 1,
                        java.util.Arrays.deepToString(new Object[] {value}).length() - 1);
            } else {
                text.append(value);
            }
        }
        return text.append(']').toString();
    }
}
