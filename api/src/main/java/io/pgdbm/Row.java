package io.pgdbm;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One row of a result, read completely when it was fetched (it holds no connection).
 *
 * <p>Values come as Java types: {@code integer} as {@link Integer}, {@code bigint} as {@link Long}, {@code numeric} as
 * {@link BigDecimal}, {@code date} as {@link LocalDate}, {@code timestamp} as {@link LocalDateTime},
 * {@code timestamptz} as {@link OffsetDateTime} (UTC), {@code uuid} as {@link UUID}, {@code bytea} as {@code byte[]},
 * {@code json}/{@code jsonb} as {@link String}, arrays as Java arrays. SQL {@code NULL} is {@code null} in every getter.
 *
 * <pre>{@code
 * Row row = db.fetchOne("SELECT id, email, created_at FROM {{tables.accounts}} WHERE id = ?", id).orElseThrow();
 * String email = row.getString("email");
 * Instant created = row.getInstant("created_at");
 * }</pre>
 *
 * <p>Column names are matched exactly first, then ignoring case. An unknown column throws a {@link PgdbmException}
 * that lists the columns the row has.
 */
public interface Row {

    /** The column labels, in result order. */
    List<String> columns();

    /** The value of a column, as described above; {@code null} for SQL NULL. */
    Object get(String column);

    /**
     * The value of a column converted to {@code type}: numbers widen and narrow when the value fits, timestamps convert
     * between {@link Instant}, {@link OffsetDateTime} and {@link LocalDateTime}, enums are read by name, and anything
     * can be read as a {@link String}.
     *
     * @throws QueryException when the value cannot be converted: the message names the module, the column, its SQL
     *     type and {@code type}, says how to fix it, and hides the value unless {@code pgdbm.log-values} is on
     */
    <T> T get(String column, Class<T> type);

    /** The row as an unmodifiable map from column label to value, in column order. */
    Map<String, Object> asMap();

    default String getString(String column) {
        return get(column, String.class);
    }

    default Integer getInt(String column) {
        return get(column, Integer.class);
    }

    default Long getLong(String column) {
        return get(column, Long.class);
    }

    default Double getDouble(String column) {
        return get(column, Double.class);
    }

    default Boolean getBoolean(String column) {
        return get(column, Boolean.class);
    }

    default BigDecimal getBigDecimal(String column) {
        return get(column, BigDecimal.class);
    }

    default UUID getUuid(String column) {
        return get(column, UUID.class);
    }

    default LocalDate getLocalDate(String column) {
        return get(column, LocalDate.class);
    }

    default LocalDateTime getLocalDateTime(String column) {
        return get(column, LocalDateTime.class);
    }

    default OffsetDateTime getOffsetDateTime(String column) {
        return get(column, OffsetDateTime.class);
    }

    default Instant getInstant(String column) {
        return get(column, Instant.class);
    }

    default byte[] getBytes(String column) {
        return get(column, byte[].class);
    }
}
