package io.pgdbm.core.internal.engine;

import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Durations;
import io.pgdbm.core.Operation;
import io.pgdbm.core.SlowQuery;
import io.pgdbm.core.StatementEvent;
import io.pgdbm.core.StatementListener;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one datasource's statements are reported: the slow-query log (a WARN line and a bounded ring of recent slow
 * statements) and the {@link StatementListener}s. With no listener, a fast statement costs a clock read, two volatile
 * reads and a comparison, and allocates nothing.
 */
final class StatementObserver {

    private static final Logger LOG = LoggerFactory.getLogger(StatementObserver.class);
    private static final Logger SLOW = LoggerFactory.getLogger("io.pgdbm.slow");
    private static final StatementListener[] NO_LISTENERS = new StatementListener[0];
    private static final int SLOW_QUERIES_KEPT = 100;

    private final String datasource;
    private final DatabaseConfig config;
    private final QueryErrors errors;
    private final long slowNanos;
    private final SlowQueryLog slowQueries = new SlowQueryLog(SLOW_QUERIES_KEPT);
    private volatile StatementListener[] listeners = NO_LISTENERS;

    StatementObserver(DatabaseConfig config, QueryErrors errors) {
        this.datasource = config.name();
        this.config = config;
        this.errors = errors;
        this.slowNanos = config.slowQueryThreshold().toNanos();
    }

    synchronized void addListener(StatementListener listener) {
        StatementListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = Objects.requireNonNull(listener, "listener");
        listeners = next;
    }

    synchronized void removeListener(StatementListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(StatementListener[]::new);
    }

    List<SlowQuery> slowQueries() {
        return slowQueries.recent();
    }

    void clearSlowQueries() {
        slowQueries.clear();
    }

    void migrationApplied(String module, String file, long millis) {
        for (StatementListener listener : listeners) {
            try {
                listener.migrationApplied(datasource, module, file, millis);
            } catch (RuntimeException e) {
                LOG.warn("{} - statement listener {} failed: {}", datasource, listener, e.toString());
            }
        }
    }

    /**
     * Reports one statement.
     *
     * @param nanos how long it took, connection wait excluded
     * @param rows rows returned or changed, or -1 when not known
     * @param sqlState the SQLState it failed with, or {@code null} when it succeeded
     */
    void observe(String module, String sql, Object[] params, long nanos, long rows, String sqlState) {
        boolean slow = slowNanos > 0 && nanos >= slowNanos;
        StatementListener[] current = listeners;
        if (current.length == 0 && !slow) {
            return;
        }
        if (slow) {
            String parameters = errors.parameters(params);
            slowQueries.add(SlowQueryLog.of(module, nanos, sql, parameters, sqlState));
            SLOW.warn("{} - slow statement: {}ms (pgdbm.slow-query-threshold is {}){}\n  SQL: {}\n  Parameters: {}",
                    module, nanos / 1_000_000, Durations.format(config.slowQueryThreshold()),
                    sqlState == null ? "" : ", failed with SQLState " + sqlState, sql, parameters);
        }
        if (current.length == 0) {
            return;
        }
        StatementEvent event = new StatementEvent(datasource, module, Operation.of(sql), sql, nanos, rows, sqlState,
                slow);
        for (StatementListener listener : current) {
            try {
                listener.statementExecuted(event);
            } catch (RuntimeException e) {
                LOG.warn("{} - statement listener {} failed: {}", datasource, listener, e.toString());
            }
        }
    }
}
