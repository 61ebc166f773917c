package io.pgdbm.core.internal.mapping;

import io.pgdbm.PgdbmException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

/** Converts a value already read from a row to the type a caller asks for. Internal. */
public final class Conversions {

    private Conversions() {
    }

    /**
     * Converts {@code value} to {@code type}.
     *
     * @param what names the value in messages, e.g. {@code column 'age'}
     * @throws PgdbmException when no conversion applies or the value does not fit
     */
    @SuppressWarnings("unchecked")
    public static <T> T convert(Object value, Class<T> type, String what) {
        if (value == null) {
            return null;
        }
        Class<?> target = type.isPrimitive() ? ArrayLiterals.wrapper(type) : type;
        if (target.isInstance(value)) {
            return (T) value;
        }
        try {
            Object converted = convertOrNull(value, target);
            if (converted != null) {
                return (T) converted;
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new PgdbmException(what + ": cannot be read as " + target.getSimpleName() + ": " + e.getMessage());
        }
        throw new PgdbmException(what + ": cannot be read as " + target.getSimpleName() + ": it holds a "
                + value.getClass().getSimpleName() + "; read it as " + value.getClass().getSimpleName()
                + (value instanceof String ? "" : " or String") + ", or cast it in SQL");
    }

    private static Object convertOrNull(Object value, Class<?> target) {
        if (target == String.class) {
            if (value instanceof BigDecimal decimal) {
                return decimal.toPlainString();
            }
            if (value instanceof byte[] bytes) {
                return "\\x" + Hex.encode(bytes);
            }
            if (value.getClass().isArray()) {
                return Arrays.deepToString(ArrayLiterals.boxed(value));
            }
            return value.toString();
        }
        if (value instanceof Number number) {
            return convertNumber(number, target);
        }
        if (value instanceof OffsetDateTime timestamp) {
            if (target == Instant.class) {
                return timestamp.toInstant();
            }
            if (target == LocalDateTime.class) {
                return timestamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            if (target == LocalDate.class) {
                return timestamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            }
        }
        if (value instanceof Instant instant && target == OffsetDateTime.class) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime timestamp && target == LocalDate.class) {
            return timestamp.toLocalDate();
        }
        if (value instanceof Timestamp timestamp) {
            return convertOrNull(timestamp.toLocalDateTime(), target);
        }
        if (value instanceof Date date && target == LocalDate.class) {
            return date.toLocalDate();
        }
        if (value instanceof Time time && target == java.time.LocalTime.class) {
            return time.toLocalTime();
        }
        if (value instanceof String text) {
            if (target == UUID.class) {
                return UUID.fromString(text);
            }
            if (target.isEnum()) {
                return enumConstant(target, text);
            }
            if (target == Boolean.class) {
                return switch (text) {
                    case "t", "true" -> Boolean.TRUE;
                    case "f", "false" -> Boolean.FALSE;
                    default -> null;
                };
            }
        }
        if (target.isArray() && value.getClass().isArray()) {
            return convertArray(value, target.getComponentType());
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(Class<?> type, String name) {
        try {
            return Enum.valueOf((Class<? extends Enum>) type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a constant of " + type.getSimpleName()
                    + "; known: " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Converts every element of a Java array (as the driver returns it) into an array of {@code component}. */
    static Object convertArray(Object array, Class<?> component) {
        int length = Array.getLength(array);
        Object result = Array.newInstance(component, length);
        for (int i = 0; i < length; i++) {
            Object element = Array.get(array, i);
            if (element == null && component.isPrimitive()) {
                throw new IllegalArgumentException("element " + (i + 1) + " is NULL but " + component
                        + " cannot hold NULL; use " + ArrayLiterals.wrapper(component).getSimpleName() + "[]");
            }
            Array.set(result, i, convert(normaliseElement(element), component, "array element " + (i + 1)));
        }
        return result;
    }

    /** Driver array elements come as java.sql types; rows hold java.time instead. */
    static Object normaliseElement(Object element) {
        if (element instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (element instanceof Date date) {
            return date.toLocalDate();
        }
        if (element instanceof Time time) {
            return time.toLocalTime();
        }
        return element;
    }

    private static Object convertNumber(Number number, Class<?> target) {
        if (target == Long.class) {
            return number instanceof BigDecimal decimal ? decimal.longValueExact() : exactLong(number);
        }
        if (target == Integer.class) {
            return Math.toIntExact(exactLong(number));
        }
        if (target == Short.class) {
            long value = exactLong(number);
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                throw new ArithmeticException(value + " does not fit in a short");
            }
            return (short) value;
        }
        if (target == Double.class) {
            return number.doubleValue();
        }
        if (target == Float.class) {
            return number.floatValue();
        }
        if (target == BigDecimal.class) {
            return number instanceof BigInteger big ? new BigDecimal(big) : new BigDecimal(number.toString());
        }
        if (target == BigInteger.class) {
            return new BigDecimal(number.toString()).toBigIntegerExact();
        }
        return null;
    }

    private static long exactLong(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte) {
            return number.longValue();
        }
        return new BigDecimal(number.toString()).longValueExact();
    }
}
