package io.pgdbm.bench;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Two ways of doing the same work that {@link BenchmarkSuite} measures against each other: the benchmark methods
 * {@code <name>_<measured>} and {@code <name>_<baseline>} of one JMH state class. The report gives measured/baseline
 * ratios: pgdbm/raw for the pairs of {@link PgdbmVsJdbc}, on/off for those of {@link ListenerOverhead}.
 *
 * @param name the pair's name, the benchmark methods' common prefix
 * @param benchmarks the JMH state class that holds both benchmark methods
 * @param measured the side whose cost is measured
 * @param baseline the side it is measured against
 */
record Pair(String name, Class<? extends PairState> benchmarks, String measured, String baseline) {

    /** Every pair, in report order. */
    static final List<Pair> ALL = List.of(
            new Pair("pointSelect", PgdbmVsJdbc.class, "pgdbm", "raw"),
            new Pair("insertReturningId", PgdbmVsJdbc.class, "pgdbm", "raw"),
            new Pair("batch10k", PgdbmVsJdbc.class, "pgdbm", "raw"),
            new Pair("copy10k", PgdbmVsJdbc.class, "pgdbm", "raw"),
            new Pair("transactionWithSavepoint", PgdbmVsJdbc.class, "pgdbm", "raw"),
            new Pair("pointSelectMetrics", ListenerOverhead.class, "on", "off"),
            new Pair("pointSelectSlowThreshold", ListenerOverhead.class, "on", "off"),
            new Pair("pointSelectContainerTransaction", ContainerTransactionPath.class, "pgdbm", "raw"),
            new Pair("pointSelectLocalOnAgroal", ContainerTransactionPath.class, "pgdbm", "raw"));

    /** What {@code bench/run.sh} measures without {@code --pairs}: ModuleDatabase against hand-written JDBC. */
    static final List<Pair> DEFAULT = ALL.stream().filter(pair -> pair.benchmarks == PgdbmVsJdbc.class).toList();

    static Pair named(String name) {
        return ALL.stream().filter(pair -> pair.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Unknown pair '" + name + "'; pairs: " + names(ALL)));
    }

    static List<String> names(List<Pair> pairs) {
        return pairs.stream().map(Pair::name).toList();
    }

    /** The benchmark method of one side, e.g. {@code pointSelect_pgdbm}. */
    String benchmark(String side) {
        return name + "_" + side;
    }

    /** The two sides in the order they run in round {@code round} (ABBA: the first alternates). */
    List<String> sides(int round) {
        return round % 2 == 1 ? List.of(measured, baseline) : List.of(baseline, measured);
    }

    /** A new, not yet started, instance of the state, for {@link InterleavedPair}. */
    PairState newState() {
        try {
            return benchmarks.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new IllegalStateException("Cannot make a " + benchmarks.getSimpleName() + ": " + cause, cause);
        }
    }
}
