package io.pgdbm.core.internal.mapping;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

/** PostgreSQL array element types and text literals for Java arrays and collections. Internal. */
final class ArrayLiterals {

    private static final Map<Class<?>, String> TYPES = Map.ofEntries(
            Map.entry(String.class, "text"),
            Map.entry(Long.class, "int8"),
            Map.entry(Integer.class, "int4"),
            Map.entry(Short.class, "int2"),
            Map.entry(Double.class, "float8"),
            Map.entry(Float.class, "float4"),
            Map.entry(Boolean.class, "bool"),
            Map.entry(BigDecimal.class, "numeric"),
            Map.entry(BigInteger.class, "numeric"),
            Map.entry(UUID.class, "uuid"),
            Map.entry(LocalDate.class, "date"),
            Map.entry(LocalDateTime.class, "timestamp"),
            Map.entry(OffsetDateTime.class, "timestamptz"),
            Map.entry(Instant.class, "timestamptz"),
            Map.entry(ZonedDateTime.class, "timestamptz"),
            Map.entry(LocalTime.class, "time"),
            Map.entry(OffsetTime.class, "timetz"),
            Map.entry(byte[].class, "bytea"));

    private ArrayLiterals() {
    }

    static String postgresType(Class<?> elementType) {
        if (Enum.class.isAssignableFrom(elementType)) {
            return "text";
        }
        String type = TYPES.get(elementType);
        return type != null ? type : "text";
    }

    static Class<?> wrapper(Class<?> primitive) {
        if (primitive == int.class) {
            return Integer.class;
        } else if (primitive == long.class) {
            return Long.class;
        } else if (primitive == double.class) {
            return Double.class;
        } else if (primitive == float.class) {
            return Float.class;
        } else if (primitive == short.class) {
            return Short.class;
        } else if (primitive == boolean.class) {
            return Boolean.class;
        } else if (primitive == byte.class) {
            return Byte.class;
        } else if (primitive == char.class) {
            return Character.class;
        }
        return primitive;
    }

    static Object[] boxed(Object array) {
        if (array instanceof Object[] objects) {
            return objects;
        }
        int length = Array.getLength(array);
        Object[] result = new Object[length];
        for (int i = 0; i < length; i++) {
            result[i] = Array.get(array, i);
        }
        return result;
    }

    /** The text PostgreSQL's input functions accept for one element. */
    static String elementText(Object value) {
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC).toString();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toOffsetDateTime().toString();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + Hex.encode(bytes);
        }
        return value.toString();
    }

    /** An array literal such as {@code {"a","b c",NULL}}, every element quoted. */
    static String format(Iterable<?> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (Object element : elements) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            if (element == null) {
                literal.append("NULL");
            } else {
                literal.append('"');
                String text = elementText(element);
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '"' || c == '\\') {
                        literal.append('\\');
                    }
                    literal.append(c);
                }
                literal.append('"');
            }
        }
        return literal.append('}').toString();
    }
}
