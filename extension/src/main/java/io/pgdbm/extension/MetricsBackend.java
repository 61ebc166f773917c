package io.pgdbm.extension;

import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.StatementListener;

/**
 * A registry pgdbm's metrics go to ({@link MetricsBackends#find} picks it).
 *
 * <p>Names and tags (the contract's): {@code pgdbm.query.duration} (timer; {@code module}, {@code operation}),
 * {@code pgdbm.query.slow} ({@code module}), {@code pgdbm.query.errors} ({@code module}, {@code sqlstate}),
 * {@code pgdbm.migrations.applied} ({@code module}), and the gauges {@code pgdbm.pool.active}, {@code .idle},
 * {@code .pending}, {@code .max} ({@code datasource}) for pools whose state is readable.
 */
interface MetricsBackend extends StatementListener {

    /** Registers the pool gauges of one datasource, when its pool state can be read. */
    void pool(String datasource, Pgdbm pgdbm);
}
