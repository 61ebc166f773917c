package io.pgdbm.core.internal.mapping;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Streams Java rows to a {@code COPY ... FROM STDIN} in PostgreSQL's text format: tab-separated, {@code \N} for NULL,
 * backslash escapes. Rows are encoded into a reusable buffer and sent in chunks of about 64 KiB. Internal.
 */
public final class CopyEncoder {

    private static final int FLUSH_AT = 64 * 1024;

    private CopyEncoder() {
    }

    /**
     * Writes every row and returns how many were written; the caller ends or cancels the copy.
     *
     * @throws IllegalArgumentException naming the row when it has the wrong number of values
     */
    public static long write(CopyIn copy, int columnCount, Iterable<? extends Object[]> rows) throws SQLException {
        StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);
        long count = 0;
        for (Object[] row : rows) {
            if (row == null || row.length != columnCount) {
                throw new IllegalArgumentException("row " + (count + 1) + " has " + (row == null ? 0 : row.length)
                        + " values but " + columnCount + " columns were named");
            }
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                appendValue(buffer, row[i]);
            }
            buffer.append('\n');
            count++;
            if (buffer.length() >= FLUSH_AT) {
                flush(copy, buffer);
            }
        }
        flush(copy, buffer);
        return count;
    }

    private static void flush(CopyIn copy, StringBuilder buffer) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
        } else if (value instanceof String text) {
            appendEscaped(out, text);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            out.append(((Number) value).longValue());
        } else if (value instanceof UUID || value instanceof OffsetDateTime || value instanceof LocalDateTime
                || value instanceof LocalDate || value instanceof LocalTime || value instanceof OffsetTime) {
            // Their text never holds a tab, newline, carriage return or backslash: nothing to escape.
            out.append(value);
        } else if (value instanceof Number) {
            out.append(value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString());
        } else if (value instanceof Boolean flag) {
            out.append(flag ? 't' : 'f');
        } else if (value instanceof byte[] bytes) {
            // bytea's hex input is \x..., and COPY's text format needs the backslash doubled.
            out.append("\\\\x");
            Hex.append(out, bytes);
        } else if (value instanceof Instant instant) {
            out.append(instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof ZonedDateTime zoned) {
            out.append(zoned.toOffsetDateTime());
        } else if (value instanceof Enum<?> constant) {
            appendEscaped(out, constant.name());
        } else if (value.getClass().isArray()) {
            appendEscaped(out, ArrayLiterals.format(Arrays.asList(ArrayLiterals.boxed(value))));
        } else if (value instanceof Collection<?> collection) {
            appendEscaped(out, ArrayLiterals.format(collection));
        } else {
            appendEscaped(out, value.toString());
        }
    }

    private static void appendEscaped(StringBuilder out, String text) {
        int first = 0;
        while (first < text.length() && !needsEscape(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            out.append(text);
            return;
        }
        out.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static boolean needsEscape(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }
}
