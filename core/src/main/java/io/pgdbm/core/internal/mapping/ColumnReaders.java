package io.pgdbm.core.internal.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * Picks the reader for a column: by the Java type wanted, or by the column's SQL type. A reader that cannot convert
 * the value throws the driver's {@link SQLException} or a {@link Conversions.Unconvertible}, never an exception that
 * quotes the value; {@link ReadFailures} turns either into a {@code QueryException}. Internal.
 */
public final class ColumnReaders {

    private static final ColumnReader STRING = ResultSet::getString;
    private static final ColumnReader LONG = (rs, i) -> {
        long value = rs.getLong(i);
        return value == 0 && rs.wasNull() ? null : value;
    };
    private static final ColumnReader INTEGER = (rs, i) -> {
        int value = rs.getInt(i);
        return value == 0 && rs.wasNull() ? null : value;
    };
    private static final ColumnReader SHORT = (rs, i) -> {
        short value = rs.getShort(i);
        return value == 0 && rs.wasNull() ? null : value;
    };
    private static final ColumnReader DOUBLE = (rs, i) -> {
        double value = rs.getDouble(i);
        return value == 0 && rs.wasNull() ? null : value;
    };
    private static final ColumnReader FLOAT = (rs, i) -> {
        float value = rs.getFloat(i);
        return value == 0 && rs.wasNull() ? null : value;
    };
    private static final ColumnReader BOOLEAN = (rs, i) -> {
        boolean value = rs.getBoolean(i);
        return !value && rs.wasNull() ? null : value;
    };
    private static final ColumnReader BIG_DECIMAL = ResultSet::getBigDecimal;
    private static final ColumnReader BIG_INTEGER = (rs, i) -> {
        BigDecimal value = rs.getBigDecimal(i);
        return value == null ? null : Conversions.convert(value, BigInteger.class);
    };
    private static final ColumnReader BYTES = ResultSet::getBytes;
    private static final ColumnReader LOCAL_DATE = (rs, i) -> rs.getObject(i, LocalDate.class);
    private static final ColumnReader LOCAL_DATE_TIME = (rs, i) -> rs.getObject(i, LocalDateTime.class);
    private static final ColumnReader OFFSET_DATE_TIME = (rs, i) -> rs.getObject(i, OffsetDateTime.class);
    private static final ColumnReader LOCAL_TIME = (rs, i) -> rs.getObject(i, LocalTime.class);
    private static final ColumnReader OFFSET_TIME = (rs, i) -> rs.getObject(i, OffsetTime.class);
    private static final ColumnReader INSTANT = (rs, i) -> {
        OffsetDateTime value = rs.getObject(i, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    };
    private static final ColumnReader UUIDS = (rs, i) -> {
        Object value = rs.getObject(i);
        return value == null || value instanceof UUID ? value : Conversions.uuid(value.toString());
    };
    private static final ColumnReader GENERIC_OBJECT = (rs, i) -> {
        Object value = rs.getObject(i);
        return value instanceof PGobject object ? object.getValue() : value;
    };

    private ColumnReaders() {
    }

    /** The reader that produces {@code type} (boxed for primitives), or {@code null} if none is known. */
    public static ColumnReader forJavaType(Class<?> type) {
        if (type == String.class) {
            return STRING;
        } else if (type == Long.class || type == long.class) {
            return LONG;
        } else if (type == Integer.class || type == int.class) {
            return INTEGER;
        } else if (type == Boolean.class || type == boolean.class) {
            return BOOLEAN;
        } else if (type == UUID.class) {
            return UUIDS;
        } else if (type == Instant.class) {
            return INSTANT;
        } else if (type == OffsetDateTime.class) {
            return OFFSET_DATE_TIME;
        } else if (type == LocalDateTime.class) {
            return LOCAL_DATE_TIME;
        } else if (type == LocalDate.class) {
            return LOCAL_DATE;
        } else if (type == BigDecimal.class) {
            return BIG_DECIMAL;
        } else if (type == Double.class || type == double.class) {
            return DOUBLE;
        } else if (type == Float.class || type == float.class) {
            return FLOAT;
        } else if (type == Short.class || type == short.class) {
            return SHORT;
        } else if (type == BigInteger.class) {
            return BIG_INTEGER;
        } else if (type == byte[].class) {
            return BYTES;
        } else if (type == LocalTime.class) {
            return LOCAL_TIME;
        } else if (type == OffsetTime.class) {
            return OFFSET_TIME;
        } else if (type.isEnum()) {
            return (rs, i) -> {
                String name = rs.getString(i);
                return name == null ? null : Conversions.enumConstant(type, name);
            };
        } else if (type.isArray()) {
            Class<?> component = type.getComponentType();
            return (rs, i) -> {
                Array array = rs.getArray(i);
                return array == null ? null : Conversions.convertArray(array.getArray(), component);
            };
        } else if (type == Object.class) {
            return GENERIC_OBJECT;
        }
        return null;
    }

    /** The reader for a column as a {@code Row} holds it: java.time for temporal types, text for JSON. */
    public static ColumnReader forColumn(ResultSetMetaData metaData, int column) throws SQLException {
        String typeName = metaData.getColumnTypeName(column);
        switch (typeName) {
            case "int8":
                return LONG;
            case "int4":
            case "serial":
                return INTEGER;
            case "int2":
                return SHORT;
            case "text":
            case "varchar":
            case "bpchar":
            case "name":
            case "json":
            case "jsonb":
            case "xml":
                return STRING;
            case "bool":
                return BOOLEAN;
            case "numeric":
                return BIG_DECIMAL;
            case "float8":
                return DOUBLE;
            case "float4":
                return FLOAT;
            case "uuid":
                return UUIDS;
            case "date":
                return LOCAL_DATE;
            case "timestamp":
                return LOCAL_DATE_TIME;
            case "timestamptz":
                return OFFSET_DATE_TIME;
            case "time":
                return LOCAL_TIME;
            case "timetz":
                return OFFSET_TIME;
            case "bytea":
                return BYTES;
            default:
                break;
        }
        if (metaData.getColumnType(column) == Types.ARRAY) {
            boolean withZone = typeName.equals("_timestamptz");
            return (rs, i) -> {
                Array array = rs.getArray(i);
                if (array == null) {
                    return null;
                }
                Object[] elements = (Object[]) array.getArray();
                for (int e = 0; e < elements.length; e++) {
                    elements[e] = withZone && elements[e] instanceof java.sql.Timestamp timestamp
                            ? timestamp.toInstant().atOffset(ZoneOffset.UTC)
                            : Conversions.normaliseElement(elements[e]);
                }
                return elements;
            };
        }
        return GENERIC_OBJECT;
    }
}
