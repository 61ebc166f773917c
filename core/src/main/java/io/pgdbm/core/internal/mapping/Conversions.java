package io.pgdbm.core.internal.mapping;

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
final class Conversions {

    /** SQLState of text that is not a valid value of the type, as PostgreSQL reports {@code 'x'::uuid}. */
    static final String INVALID_TEXT = "22P02";
    /** SQLState of a number that does not fit, as PostgreSQL reports {@code 5000000000::int}. */
    static final String OUT_OF_RANGE = "22003";
    /** SQLState of a NULL where none may be. */
    static final String NULL_NOT_ALLOWED = "22004";
    /** SQLState of two types with no conversion between them, as PostgreSQL reports {@code now()::int}. */
    static final String CANNOT_COERCE = "42846";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Conversions() {
    }

    /**
     * Why a value cannot become the type asked for, in words that never quote the value, with the SQLState
     * PostgreSQL gives the same failed cast. Turned into a {@code QueryException} by {@link ReadFailures}, which knows
     * the module, the column and the SQL.
     */
    static final class Unconvertible extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final String sqlState;

        Unconvertible(String reason, String sqlState) {
            super(reason, null, false, false);
            this.sqlState = sqlState;
        }

        String reason() {
            return getMessage();
        }
    }

    /**
     * Converts {@code value} to {@code type}.
     *
     * @throws Unconvertible when no conversion applies or the value does not fit
     */
    @SuppressWarnings("unchecked")
    static <T> T convert(Object value, Class<T> type) {
        if (value == null) {
            return null;
        }
        Class<?> target = type.isPrimitive() ? ArrayLiterals.wrapper(type) : type;
        if (target.isInstance(value)) {
            return (T) value;
        }
        Object converted = convertOrNull(value, target);
        if (converted != null) {
            return (T) converted;
        }
        throw new Unconvertible("it holds a " + value.getClass().getSimpleName() + ", which has no conversion to "
                + target.getSimpleName(), CANNOT_COERCE);
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
                return uuid(text);
            }
            if (target.isEnum()) {
                return enumConstant(target, text);
            }
            if (target == Boolean.class) {
                return switch (text) {
                    case "t", "true" -> Boolean.TRUE;
                    case "f", "false" -> Boolean.FALSE;
                    default -> throw new Unconvertible("the text is not a boolean (t, f, true or false)",
                            INVALID_TEXT);
                };
            }
        }
        if (target.isArray() && value.getClass().isArray()) {
            return convertArray(value, target.getComponentType());
        }
        return null;
    }

    static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the text ("Invalid UUID string: ..."): never pass it on.
            throw new Unconvertible("the text is not a UUID", INVALID_TEXT);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(Class<?> type, String name) {
        try {
            return Enum.valueOf((Class<? extends Enum>) type, name);
        } catch (IllegalArgumentException e) {
            throw new Unconvertible("the text is not a constant of " + type.getSimpleName() + " (its constants are "
                    + Arrays.toString(type.getEnumConstants()) + ")", INVALID_TEXT);
        }
    }

    /** Converts every element of a Java array (as the driver returns it) into an array of {@code component}. */
    static Object convertArray(Object array, Class<?> component) {
        int length = Array.getLength(array);
        Object result = Array.newInstance(component, length);
        for (int i = 0; i < length; i++) {
            Object element = Array.get(array, i);
            if (element == null && component.isPrimitive()) {
                throw new Unconvertible("element " + (i + 1) + " is NULL, which " + component + "[] cannot hold; use "
                        + ArrayLiterals.wrapper(component).getSimpleName() + "[]", NULL_NOT_ALLOWED);
            }
            try {
                Array.set(result, i, convert(normaliseElement(element), component));
            } catch (Unconvertible e) {
                throw new Unconvertible("element " + (i + 1) + ": " + e.reason(), e.sqlState);
            }
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
            return exactLong(number, Long.MIN_VALUE, Long.MAX_VALUE, "a Long");
        }
        if (target == Integer.class) {
            return (int) exactLong(number, Integer.MIN_VALUE, Integer.MAX_VALUE, "an Integer");
        }
        if (target == Short.class) {
            return (short) exactLong(number, Short.MIN_VALUE, Short.MAX_VALUE, "a Short");
        }
        if (target == Double.class) {
            return number.doubleValue();
        }
        if (target == Float.class) {
            return number.floatValue();
        }
        if (target == BigDecimal.class) {
            return decimal(number);
        }
        if (target == BigInteger.class) {
            BigDecimal decimal = decimal(number);
            if (hasFraction(decimal)) {
                throw new Unconvertible("the number has a fractional part, which a BigInteger cannot hold",
                        OUT_OF_RANGE);
            }
            return decimal.toBigInteger();
        }
        return null;
    }

    /** The number as a long within {@code [min, max]}; never quotes it when it does not fit. */
    private static long exactLong(Number number, long min, long max, String what) {
        long value;
        if (number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte) {
            value = number.longValue();
        } else {
            BigDecimal decimal = decimal(number);
            if (hasFraction(decimal)) {
                throw new Unconvertible("the number has a fractional part, which " + what + " cannot hold",
                        OUT_OF_RANGE);
            }
            if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
                throw new Unconvertible("the number does not fit in " + what, OUT_OF_RANGE);
            }
            value = decimal.longValue();
        }
        if (value < min || value > max) {
            throw new Unconvertible("the number does not fit in " + what, OUT_OF_RANGE);
        }
        return value;
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
            throw new Unconvertible("the number is NaN or infinite, which only Double and Float can hold",
                    OUT_OF_RANGE);
        }
        return new BigDecimal(number.toString());
    }

    private static boolean hasFraction(BigDecimal decimal) {
        return decimal.scale() > 0 && decimal.stripTrailingZeros().scale() > 0;
    }
}
