package io.pgdbm.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A statement that took at least {@link DatabaseConfig#slowQueryThreshold()}, as {@link Pgdbm#slowQueries()} keeps it.
 *
 * @param at when it finished
 * @param module the module that ran it
 * @param duration how long it took
 * @param sql the statement as sent (values as {@code ?})
 * @param parameters its bound values, or how many there were when {@code pgdbm.log-values} is off
 * @param sqlState the SQLState when it failed, else {@code null}
 */
public record SlowQuery(Instant at, String module, Duration duration, String sql, String parameters,
        String sqlState) {
}
