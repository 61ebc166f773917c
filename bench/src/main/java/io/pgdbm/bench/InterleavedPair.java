package io.pgdbm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures one {@link Pair} by alternating its two sides in short slices inside one JVM, so both sides see the same
 * moment of the machine: the measured/baseline throughput ratio (pgdbm/raw, on/off) of each adjacent pair of slices,
 * then the median. This is the ratio the report trusts; JMH's separate forks give the absolute numbers and allocation.
 *
 * <p>Why: on a small or virtual machine the speed of a round trip drifts by tens of percent within minutes (other
 * processes, idle CPUs that take time to wake), so two forks measured a minute apart disagree more than the two
 * sides of a pair do. Slices of a tenth of a second, in ABBA order, put that drift on both sides equally.
 *
 * <p>Both sides run the same methods JMH measures, on one state (one pool, one server), after a warm-up that
 * alternates them too. Every result goes to a static field, so no work is optimised away. Sharing a JVM is fair: the
 * two sides call the same driver and pool classes with the same argument types, so neither skews the other's
 * compiled code. Run by {@link BenchmarkSuite}, one fresh JVM per pair; prints one {@code RESULT} line.
 */
public final class InterleavedPair {

    /** Every result is stored here, so the JIT cannot drop the work that produces it. */
    static Object sink;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** CPU time of this thread spent in the last {@link #timed} call. */
    private static long lastCpuNanos;

    private InterleavedPair() {
    }

    /** {@code InterleavedPair <pair> <warm-up seconds> <measured slice pairs> <slice milliseconds>} */
    public static void main(String[] args) throws Exception {
        Pair pair = Pair.named(args[0]);
        double warmupSeconds = Double.parseDouble(args[1]);
        int slicePairs = Integer.parseInt(args[2]);
        double sliceMillis = Double.parseDouble(args[3]);
        PairState state = pair.newState();
        state.startTrial();
        try {
            state.emptyTargets();
            Side measured = state.side(pair.benchmark(pair.measured()));
            Side baseline = state.side(pair.benchmark(pair.baseline()));
            Outcome outcome = measure(state, measured, baseline, warmupSeconds, slicePairs, sliceMillis);
            System.out.println(outcome.line(pair.name()));
        } finally {
            state.stopTrial();
        }
    }

    static Outcome measure(PairState state, Side measured, Side baseline, double warmupSeconds, int slicePairs,
            double sliceMillis) throws Exception {
        // Warm-up: alternate the sides one operation at a time until the time is up, then size the slices so each
        // lasts about sliceMillis at the speed of the warm-up's second half (the first is still compiling).
        long warmupStart = System.nanoTime();
        long warmupHalf = warmupStart + (long) (warmupSeconds * 0.5e9);
        long warmupEnd = warmupStart + (long) (warmupSeconds * 1e9);
        long nanos = 0;
        long operations = 0;
        long done = 0;
        while (System.nanoTime() < warmupEnd) {
            long both = timed(measured, 1) + timed(baseline, 1);
            if (System.nanoTime() > warmupHalf) {
                nanos += both;
                operations += 2;
            }
            if (++done % 10 == 0 && both > 2_000_000) {
                // Bulk loads: keep the target tables as small as JMH's per-iteration truncation does.
                state.emptyTargets();
            }
        }
        state.emptyTargets();
        double nanosPerOp = operations == 0 ? sliceMillis * 1e6 : nanos / (double) operations;
        int opsPerSlice = (int) Math.max(1, Math.round(sliceMillis * 1e6 / nanosPerOp));

        List<Double> ratios = new ArrayList<>(slicePairs);
        List<Double> measuredCpu = new ArrayList<>(slicePairs);
        List<Double> baselineCpu = new ArrayList<>(slicePairs);
        long totalMeasured = 0;
        long totalBaseline = 0;
        for (int i = 0; i < slicePairs; i++) {
            long measuredSlice;
            long baselineSlice;
            if (i % 2 == 0) {
                measuredSlice = timed(measured, opsPerSlice);
                measuredCpu.add(lastCpuNanos / 1000.0 / opsPerSlice);
                baselineSlice = timed(baseline, opsPerSlice);
                baselineCpu.add(lastCpuNanos / 1000.0 / opsPerSlice);
            } else {
                baselineSlice = timed(baseline, opsPerSlice);
                baselineCpu.add(lastCpuNanos / 1000.0 / opsPerSlice);
                measuredSlice = timed(measured, opsPerSlice);
                measuredCpu.add(lastCpuNanos / 1000.0 / opsPerSlice);
            }
            ratios.add((double) baselineSlice / measuredSlice);
            totalMeasured += measuredSlice;
            totalBaseline += baselineSlice;
            state.emptyTargets();
        }
        return new Outcome(ratios, slicePairs * (long) opsPerSlice, totalMeasured, totalBaseline, opsPerSlice,
                SuiteReport.median(measuredCpu), SuiteReport.median(baselineCpu));
    }

    /** Runs {@code operations} operations and returns the wall-clock nanoseconds; the CPU goes to lastCpuNanos. */
    private static long timed(Side side, int operations) throws Exception {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            sink = side.run();
        }
        long elapsed = System.nanoTime() - start;
        lastCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
        return elapsed;
    }

    /** One side of a pair: a benchmark method of a {@link PairState}. */
    @FunctionalInterface
    interface Side {
        Object run() throws Exception;
    }

    /**
     * Per slice pair, baseline time / measured time (= measured/baseline throughput); the totals; and the median CPU
     * time per operation of the measuring thread on each side, in µs (the client-side cost of a call, round trip
     * excluded).
     */
    record Outcome(List<Double> ratios, long operationsPerSide, long measuredNanos, long baselineNanos,
            int opsPerSlice, double measuredCpuMicros, double baselineCpuMicros) {

        String line(String pair) {
            List<Double> sorted = ratios.stream().sorted().toList();
            return String.format(Locale.ROOT, "RESULT %s median=%.4f q1=%.4f q3=%.4f slices=%d opsPerSlice=%d"
                            + " measuredOpsPerSecond=%.2f baselineOpsPerSecond=%.2f measuredCpuMicros=%.3f"
                            + " baselineCpuMicros=%.3f",
                    pair, SuiteReport.median(ratios), quantile(sorted, 0.25), quantile(sorted, 0.75), ratios.size(),
                    opsPerSlice, operationsPerSide * 1e9 / measuredNanos, operationsPerSide * 1e9 / baselineNanos,
                    measuredCpuMicros, baselineCpuMicros);
        }

        private static double quantile(List<Double> sorted, double q) {
            double position = q * (sorted.size() - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(sorted.size() - 1, below + 1);
            return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
        }
    }
}
