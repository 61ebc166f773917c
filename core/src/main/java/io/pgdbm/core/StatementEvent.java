package io.pgdbm.core;

import java.time.Duration;

/**
 * One statement pgdbm ran, as {@link StatementListener}s see it. Bound values are not part of it.
 *
 * @param datasource the datasource's name ({@link DatabaseConfig#name()})
 * @param module the module that ran it
 * @param operation what kind of statement it was
 * @param sql the statement as sent (templates expanded, values as {@code ?})
 * @param nanos how long it took, connection wait excluded
 * @param rows rows returned or changed, or -1 when not known (streams, DDL)
 * @param sqlState the SQLState when it failed, {@code null} when it succeeded
 * @param slow whether it took at least {@link DatabaseConfig#slowQueryThreshold()}
 */
public record StatementEvent(String datasource, String module, Operation operation, String sql, long nanos,
        long rows, String sqlState, boolean slow) {

    /** Whether the statement failed. */
    public boolean failed() {
        return sqlState != null;
    }

    public Duration duration() {
        return Duration.ofNanos(nanos);
    }
}
