package io.pgdbm.core.internal.engine;

import io.pgdbm.QueryException;
import java.lang.reflect.Array;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    private final boolean logValues;
    private final SocketTimeoutHint socketTimeout;

    QueryErrors(boolean logValues, SocketTimeoutHint socketTimeout) {
        this.logValues = logValues;
        this.socketTimeout = socketTimeout;
    }

    QueryException query(String module, String sql, Object[] params, SQLException failure) {
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
        if (!logValues) {
            primary = mask(primary, params);
            if (sqlState != null && sqlState.startsWith("22")) {
                // Data exceptions quote the offending input ("invalid input syntax for type integer: \"abc\""),
                // whatever path it came by: a batch, a COPY row, an array element, a value printed unlike
                // Java prints it. Their quoted parts are values, never names: hide them all.
                primary = QUOTED.matcher(primary).replaceAll("\"" + MASK + "\"");
            }
        }
        StringBuilder message = new StringBuilder(module).append(" - ").append(primary);
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
            message.append("\n  Hint: ").append(logValues ? server.getHint() : mask(server.getHint(), params));
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
        Throwable cause = logValues ? failure : sanitised(root, primary);
        return new QueryException(message.toString(), sqlState, module, sql,
                server != null ? server.getConstraint() : null, cause);
    }

    /**
     * A copy of the driver's exception that keeps its SQLState, vendor code and stack trace but not its message,
     * which may carry the server's detail line and so the values it echoes.
     */
    private static SQLException sanitised(SQLException root, String primary) {
        SQLException copy = new SQLException(primary, root.getSQLState(), root.getErrorCode());
        copy.setStackTrace(root.getStackTrace());
        return copy;
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
