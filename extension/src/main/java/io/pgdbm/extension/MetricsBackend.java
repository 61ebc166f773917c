package io.pgdbm.extension;

import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.StatementListener;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A registry pgdbm's metrics go to ({@link MetricsBackends#find} picks it).
 *
 * <p>Names and tags (the contract's): {@code pgdbm.query.duration} (timer; {@code module}, {@code operation}),
 * {@code pgdbm.query.slow} ({@code module}), {@code pgdbm.query.errors} ({@code module}, {@code sqlstate}),
 * {@code pgdbm.migrations.applied} ({@code module}), and the gauges {@code pgdbm.pool.active}, {@code .idle},
 * {@code .pending}, {@code .max} ({@code datasource}) for pools whose state is readable.
 */
interface MetricsBackend extends StatementListener {

    /** The pool gauges' names. */
    List<String> POOL_GAUGES = List.of("pgdbm.pool.active", "pgdbm.pool.idle", "pgdbm.pool.pending", "pgdbm.pool.max");

    /** Registers the pool gauges of one datasource, when its pool state can be read. */
    default void pool(String datasource, Pgdbm pgdbm) {
        if (pgdbm.poolStats().isEmpty()) {
            return;
        }
        gauge("pgdbm.pool.active", datasource, pgdbm, PoolStats::active);
        gauge("pgdbm.pool.idle", datasource, pgdbm, PoolStats::idle);
        gauge("pgdbm.pool.pending", datasource, pgdbm, PoolStats::waiting);
        gauge("pgdbm.pool.max", datasource, pgdbm, PoolStats::max);
    }

    /** Registers one gauge tagged {@code datasource}, reading the pool's state when the registry asks. */
    void gauge(String name, String datasource, Pgdbm pgdbm, ToIntFunction<PoolStats> value);

    /**
     * Removes the pool gauges of one datasource, when its pool closes: a gauge left behind would hold the closed pool,
     * and a container started again in the same JVM would find it registered and keep reading the old one.
     */
    void removePool(String datasource);
}
