package io.pgdbm.core.internal.mapping;

import io.pgdbm.QueryException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.Set;

/**
 * Turns a value read back that cannot become the Java type asked for into a {@link QueryException} naming the module,
 * the column, its SQL type and the Java type, saying how to fix it, and hiding the value unless
 * {@code pgdbm.log-values} allows it: on every read path (rows, records, scalars, streams, {@code Row} getters),
 * whether the driver or pgdbm found the value unfit. Internal.
 */
final class ReadFailures {

    private static final int MAX_SQL_IN_MESSAGE = 1000;
    private static final String MASK = "<hidden>";
    private static final String HIDDEN = "hidden (set pgdbm.log-values=true to show it)";
    private static final Set<String> NUMBERS = Set.of("int2", "int4", "int8", "numeric", "float4", "float8", "oid");

    private ReadFailures() {
    }

    /**
     * Reads a column, translating a conversion failure.
     *
     * @param into the record component the value is for, e.g. {@code Account.id}, or {@code null}
     * @throws SQLException what the driver threw when it was not about the value (the connection was lost)
     */
    static Object read(ColumnReader reader, ResultSet resultSet, int column, Class<?> target, String into,
            ReadContext context) throws SQLException {
        try {
            return reader.read(resultSet, column);
        } catch (SQLException | RuntimeException e) {
            throw reading(e, resultSet, column, target, into, context);
        }
    }

    /**
     * The exception to throw for {@code failure}, which happened while reading {@code column} of the current row.
     * What is not about the value is thrown again as it is: a lost connection (SQLState class 08, 57P0x) for the
     * engine to report, or a runtime exception that is no conversion's (a bug must not pass for bad data).
     */
    static QueryException reading(Exception failure, ResultSet resultSet, int column, Class<?> target, String into,
            ReadContext context) throws SQLException {
        if (failure instanceof SQLException sql && !isAboutTheValue(sql)) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime && !(runtime instanceof Conversions.Unconvertible
                || runtime instanceof IllegalArgumentException || runtime instanceof ArithmeticException
                || runtime instanceof DateTimeException || runtime instanceof ClassCastException)) {
            throw runtime;
        }
        String label = "#" + column;
        String sqlType = "unknown type";
        try {
            ResultSetMetaData metaData = resultSet.getMetaData();
            label = metaData.getColumnLabel(column);
            sqlType = metaData.getColumnTypeName(column);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        String value = valueText(resultSet, column);
        String targetName = target.getSimpleName();
        if (failure instanceof Conversions.Unconvertible unconvertible) {
            return failure(context, label, sqlType, targetName, into, unconvertible.reason(),
                    fix(unconvertible.sqlState, target, null), unconvertible.sqlState, value, null);
        }
        String reason;
        String sqlState;
        if (failure instanceof SQLException sql) {
            reason = sql.getMessage();
            sqlState = sql.getSQLState() != null ? sql.getSQLState() : Conversions.INVALID_TEXT;
        } else {
            reason = "the conversion failed (" + failure.getClass().getSimpleName() + ")";
            sqlState = Conversions.INVALID_TEXT;
        }
        reason = reason == null ? failure.getClass().getSimpleName() : reason.strip();
        if (reason.endsWith(".")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        Throwable cause = failure;
        if (!context.logValues()) {
            reason = hideValue(reason, value);
            cause = failure instanceof SQLException sql
                    ? SanitisedCauses.copy(sql, hideValue(sql.getMessage(), value), text -> hideValue(text, value))
                    : SanitisedCauses.sanitised(failure, text -> hideValue(text, value));
        }
        // pgjdbc says 22003 for any text it cannot parse as a number: a wider type helps only with a number.
        String fixFor = Conversions.OUT_OF_RANGE.equals(sqlState) && !NUMBERS.contains(sqlType)
                ? Conversions.INVALID_TEXT : sqlState;
        return failure(context, label, sqlType, targetName, into, reason, fix(fixFor, target, null), sqlState,
                value, cause);
    }

    /** A value a {@code Row} holds cannot become {@code target}. */
    static QueryException converting(Conversions.Unconvertible failure, ReadContext context, String column,
            String sqlType, Class<?> target, Object value) {
        return failure(context, column, sqlType, target.getSimpleName(), null, failure.reason(),
                fix(failure.sqlState, target, value), failure.sqlState, display(value), null);
    }

    /** SQL NULL for a primitive record component. */
    static QueryException nullForPrimitive(ReadContext context, ResultSet resultSet, int column, Class<?> primitive,
            String into) throws SQLException {
        ResultSetMetaData metaData = resultSet.getMetaData();
        return failure(context, metaData.getColumnLabel(column), metaData.getColumnTypeName(column),
                primitive.getSimpleName(), into, "it is NULL", "Make it "
                        + ArrayLiterals.wrapper(primitive).getSimpleName() + ", or coalesce the column in SQL",
                Conversions.NULL_NOT_ALLOWED, null, null);
    }

    private static QueryException failure(ReadContext context, String column, String sqlType, String target,
            String into, String reason, String fix, String sqlState, String value, Throwable cause) {
        String sql = context.sql();
        StringBuilder message = new StringBuilder(context.module()).append(" - column '").append(column)
                .append("' (").append(sqlType).append(") cannot be read as ").append(target);
        if (into != null) {
            message.append(" for ").append(into);
        }
        message.append(": ").append(reason).append(". ").append(fix).append(" [SQLState ").append(sqlState)
                .append(']');
        if (sql != null) {
            message.append("\n  SQL: ").append(sql.length() <= MAX_SQL_IN_MESSAGE ? sql
                    : sql.substring(0, MAX_SQL_IN_MESSAGE) + "... (" + (sql.length() - MAX_SQL_IN_MESSAGE)
                            + " more characters)");
        }
        if (value != null) {
            message.append("\n  Value: ").append(context.logValues() ? value : HIDDEN);
        }
        return new QueryException(message.toString(), sqlState, context.module(), sql, null, cause);
    }

    /** How to get past the failure, by what went wrong. */
    private static String fix(String sqlState, Class<?> target, Object held) {
        String cast = "cast it to " + sqlTypeOf(target) + " in SQL";
        if (Conversions.CANNOT_COERCE.equals(sqlState) && held != null) {
            String heldType = held.getClass().getSimpleName();
            return "Read it as " + heldType + (held instanceof String ? "" : " or String") + ", or " + cast;
        }
        if (Conversions.OUT_OF_RANGE.equals(sqlState)) {
            return "Read it as a type that holds it (Long, BigDecimal or Double), or " + cast;
        }
        if (Conversions.NULL_NOT_ALLOWED.equals(sqlState)) {
            return "Read it with a type that holds NULL, or remove the NULLs in SQL";
        }
        Class<?> element = target.isArray() ? target.getComponentType() : target;
        if (element.isEnum()) {
            return "Read it as String, or add the constant to " + element.getSimpleName();
        }
        return "Read it as String, or " + cast;
    }

    /** The PostgreSQL type a cast in SQL would name for {@code type}. */
    private static String sqlTypeOf(Class<?> type) {
        if (type.isArray() && type != byte[].class) {
            return sqlTypeOf(type.getComponentType()) + "[]";
        }
        Class<?> boxed = type.isPrimitive() ? ArrayLiterals.wrapper(type) : type;
        return ArrayLiterals.postgresType(boxed);
    }

    /**
     * Whether the driver's failure to read a column is about its value (a conversion it refused) rather than about
     * the connection, which would fail whatever type was asked for.
     */
    private static boolean isAboutTheValue(SQLException failure) {
        String state = failure.getSQLState();
        return state == null || !(state.startsWith("08") || state.startsWith("57P"));
    }

    /** The column's text, to hide where the driver quoted it, and to show when values may be shown. */
    private static String valueText(ResultSet resultSet, int column) {
        try {
            String text = resultSet.getString(column);
            return text == null ? null : "'" + text + "'";
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static String display(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence) {
            return "'" + value + "'";
        }
        if (value instanceof byte[] bytes) {
            return "'\\x" + Hex.encode(bytes) + "'";
        }
        if (value.getClass().isArray()) {
            Object[] boxed = value instanceof Object[] objects ? objects : ArrayLiterals.boxed(value);
            return Arrays.deepToString(boxed);
        }
        return value.toString();
    }

    /**
     * {@code text} without {@code quotedValue} (as {@link #valueText} gives it, in single quotes): wherever it is
     * quoted, wherever it stands whole at the end ({@code Bad value for type int : abc}), and anywhere when it is long
     * enough not to be mistaken for a word of the message. The driver trims some values before quoting them, so the
     * trimmed text is hidden the same way.
     */
    static String hideValue(String text, String quotedValue) {
        if (text == null || quotedValue == null || quotedValue.length() < 3) {
            return text;
        }
        String raw = quotedValue.substring(1, quotedValue.length() - 1);
        String result = hide(text, raw);
        String trimmed = raw.strip();
        return trimmed.equals(raw) ? result : hide(result, trimmed);
    }

    private static String hide(String text, String value) {
        if (value.isEmpty()) {
            return text;
        }
        String result = text.replace('"' + value + '"', '"' + MASK + '"').replace('\'' + value + '\'',
                '\'' + MASK + '\'');
        if (value.length() >= 4) {
            return result.replace(value, MASK);
        }
        if (result.endsWith(" " + value)) {
            return result.substring(0, result.length() - value.length()) + MASK;
        }
        return result;
    }
}
