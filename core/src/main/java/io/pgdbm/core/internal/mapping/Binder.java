package io.pgdbm.core.internal.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.UUID;

/** Binds Java values to {@code ?} parameters. Internal. */
public final class Binder {

    private Binder() {
    }

    /** Binds every value, in order. */
    public static void bindAll(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            bind(statement, i + 1, values[i]);
        }
    }

    /** Binds one value; the order of the checks follows how often each type is bound. */
    public static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            // pgjdbc sends an untyped NULL, so the server infers the type: works for a column of any type.
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else if (value instanceof UUID || value instanceof LocalDate || value instanceof LocalDateTime
                || value instanceof OffsetDateTime || value instanceof LocalTime || value instanceof OffsetTime) {
            statement.setObject(index, value);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof ZonedDateTime zoned) {
            statement.setObject(index, zoned.toOffsetDateTime());
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else if (value instanceof BigDecimal decimal) {
            statement.setBigDecimal(index, decimal);
        } else if (value instanceof Double number) {
            statement.setDouble(index, number);
        } else if (value instanceof Short number) {
            statement.setShort(index, number);
        } else if (value instanceof Float number) {
            statement.setFloat(index, number);
        } else if (value instanceof BigInteger number) {
            statement.setBigDecimal(index, new BigDecimal(number));
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof Enum<?> constant) {
            // Bound as text of unspecified type, so it fits text columns and PostgreSQL enum columns alike.
            statement.setObject(index, constant.name(), Types.OTHER);
        } else if (value.getClass().isArray()) {
            statement.setArray(index, toSqlArray(statement.getConnection(), value));
        } else if (value instanceof Collection<?> collection) {
            bindCollection(statement, index, collection);
        } else {
            statement.setObject(index, value);
        }
    }

    private static void bindCollection(PreparedStatement statement, int index, Collection<?> collection)
            throws SQLException {
        Object sample = collection.stream().filter(e -> e != null).findFirst().orElse(null);
        if (sample == null) {
            // An empty (or all-NULL) list has no element type to go by: send the literal and let the server infer
            // the array type from context, as in "id = ANY(?)".
            statement.setObject(index, collection.isEmpty() ? "{}" : ArrayLiterals.format(collection), Types.OTHER);
            return;
        }
        Object[] elements = collection.toArray();
        statement.setArray(index, createArray(statement.getConnection(), sample.getClass(), elements));
    }

    static Array toSqlArray(Connection connection, Object array) throws SQLException {
        Class<?> component = array.getClass().getComponentType();
        Object[] elements = ArrayLiterals.boxed(array);
        return createArray(connection, component.isPrimitive() ? ArrayLiterals.wrapper(component) : component, elements);
    }

    private static Array createArray(Connection connection, Class<?> elementType, Object[] elements)
            throws SQLException {
        String typeName = ArrayLiterals.postgresType(elementType);
        Object[] values = elements;
        if (elementType == Instant.class || Enum.class.isAssignableFrom(elementType)
                || elementType == ZonedDateTime.class) {
            values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                values[i] = ArrayLiterals.elementText(elements[i]);
            }
        }
        return connection.createArrayOf(typeName, values);
    }
}
