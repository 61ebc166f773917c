package io.pgdbm.bench;

import java.sql.SQLException;

/**
 * A JMH state holding the benchmark methods of one or more {@link Pair}s, as {@link InterleavedPair} drives it outside
 * JMH: the same set-up and tear-down JMH calls, the reset between slices, and the benchmark methods by name.
 */
interface PairState {

    /** JMH's {@code @Setup(Level.Trial)}: the pool, the tables, the modules. */
    void startTrial() throws SQLException;

    /** JMH's {@code @Setup(Level.Iteration)}: empties what the benchmarks write; nothing for read-only pairs. */
    void emptyTargets() throws SQLException;

    /** JMH's {@code @TearDown(Level.Trial)}. */
    void stopTrial();

    /** The benchmark method called {@code benchmark} ({@code <pair>_<side>}), as a side of an interleaved run. */
    InterleavedPair.Side side(String benchmark);
}
