package io.pgdbm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link Pair}s against one server and reports their measured/baseline ratios, in two phases: by default the
 * pairs of {@link PgdbmVsJdbc} (pgdbm/raw), with {@code --pairs} also those of {@link ListenerOverhead} (metrics or
 * the slow-query threshold on/off).
 *
 * <ol>
 *   <li><b>Interleaved</b> ({@link InterleavedPair}): per pair one fresh JVM alternates the two sides in short slices;
 *       the median of the per-slice-pair ratios is the throughput ratio the report judges by. On a small or virtual
 *       machine the speed of a round trip drifts by tens of percent from one minute to the next, far more than the
 *       difference being measured; alternating every tenth of a second puts the drift on both sides alike.</li>
 *   <li><b>JMH</b>: every side in its own fork with {@code -prof gc} and {@link ClientCpuProfiler}, for absolute
 *       ops/s, allocation per operation and CPU per operation. Allocation and CPU per operation barely move with the
 *       machine's mood; the ops/s of forks minutes apart do, so with several rounds the side that goes first
 *       alternates (ABBA) and the report shows each round's ratio.</li>
 * </ol>
 *
 * <p>One embedded server serves the whole run (or the one {@value BenchServer#URL_PROPERTY} names); its URL goes to
 * every child JVM. Results: one JMH JSON per round, {@code summary.md} and {@code summary.json} in {@code --out}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pgdbm.bench.BenchmarkSuite --rounds=2 --out=bench/target/results
 * </pre>
 */
public final class BenchmarkSuite {

    /** A fixed heap, the same for every child JVM: no resizing in the middle of a measurement. */
    static final List<String> CHILD_JVM_ARGS = List.of("-Xms2g", "-Xmx2g");

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        SuiteSettings settings;
        try {
            settings = SuiteSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SuiteSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help) {
            System.out.println(SuiteSettings.USAGE);
            return;
        }
        try (BenchServer server = BenchServer.startOrConnect()) {
            Machine machine = Machine.describe(server);
            System.out.println(machine.describe());
            System.out.println(settings.describe());
            SuiteReport report = new SuiteReport(settings.pairs);
            long started = System.nanoTime();
            if (settings.slices > 0) {
                for (Pair pair : settings.pairs) {
                    Map<String, String> result = interleaved(settings, server, pair);
                    report.addInterleaved(pair, number(result, "median"), number(result, "q1"), number(result, "q3"),
                            number(result, "measuredOpsPerSecond"), number(result, "baselineOpsPerSecond"),
                            number(result, "measuredCpuMicros"), number(result, "baselineCpuMicros"));
                    System.out.printf(Locale.ROOT, "interleaved  %-26s %s %.3f (quartiles %.3f-%.3f)"
                            + "  %,.1f vs %,.1f ops/s  CPU %,.1f vs %,.1f us/op%n", pair.name(),
                            pair.measured() + "/" + pair.baseline(), number(result, "median"),
                            number(result, "q1"), number(result, "q3"), number(result, "measuredOpsPerSecond"),
                            number(result, "baselineOpsPerSecond"), number(result, "measuredCpuMicros"),
                            number(result, "baselineCpuMicros"));
                }
            }
            for (int round = 1; round <= settings.rounds; round++) {
                List<RunResult> roundResults = new ArrayList<>();
                for (Pair pair : settings.pairs) {
                    // ABBA: the side that runs first alternates, so drift in the machine's speed favours neither.
                    for (String side : pair.sides(round)) {
                        RunResult result = jmh(settings, server, pair, side);
                        roundResults.add(result);
                        double bytes = secondary(result, "gc.alloc.rate.norm");
                        double cpu = secondary(result, "client.cpu.norm");
                        double load = secondary(result, "machine.load1");
                        report.add(round, pair, side, score(result), bytes, cpu, load);
                        System.out.printf(Locale.ROOT, "JMH round %d/%d  %-32s %,12.1f ops/s  %,11.0f B/op  %,9.1f"
                                + " CPU us/op  load %.1f%n", round, settings.rounds, pair.benchmark(side),
                                score(result), bytes, cpu, load);
                    }
                }
                write(settings.out.resolve("round-" + round + ".json"), roundResults);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            String table = report.render();
            System.out.println();
            System.out.println(table);
            System.out.printf(Locale.ROOT, "Done in %dm%02ds; results in %s%n", seconds / 60, seconds % 60,
                    settings.out);
            writeText(settings.out.resolve("summary.md"), machine.describe() + "\n\n" + settings.describe()
                    + "\n\n" + table);
            writeText(settings.out.resolve("summary.json"), report.json(machine));
        }
    }

    /** Runs {@link InterleavedPair} for one pair in a fresh JVM and returns the key=value pairs of its RESULT line. */
    private static Map<String, String> interleaved(SuiteSettings settings, BenchServer server, Pair pair)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_JVM_ARGS);
        command.add("-D" + BenchServer.URL_PROPERTY + "=" + server.url());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(InterleavedPair.class.getName());
        command.add(pair.name());
        command.add(Double.toString(settings.interleavedWarmup.convertTo(TimeUnit.MILLISECONDS) / 1000.0));
        command.add(Integer.toString(settings.slices));
        command.add(Long.toString(settings.sliceTime.convertTo(TimeUnit.MILLISECONDS)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String resultLine = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    resultLine = line;
                } else {
                    System.out.println(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || resultLine == null) {
            throw new IllegalStateException("The interleaved run of " + pair.name() + " failed (exit code " + exit
                    + "); its errors are above");
        }
        Map<String, String> values = new HashMap<>();
        for (String field : resultLine.split(" ")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                values.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        return values;
    }

    private static double number(Map<String, String> values, String key) {
        return Double.parseDouble(values.get(key));
    }

    private static RunResult jmh(SuiteSettings settings, BenchServer server, Pair pair, String side)
            throws RunnerException {
        List<String> jvmArgs = new ArrayList<>(CHILD_JVM_ARGS);
        jvmArgs.add("-D" + BenchServer.URL_PROPERTY + "=" + server.url());
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(pair.benchmarks().getName() + "." + pair.benchmark(side)) + "$")
                .forks(1)
                .warmupIterations(settings.warmupIterations)
                .warmupTime(settings.warmupTime)
                .measurementIterations(settings.iterations)
                .measurementTime(settings.time)
                .threads(1)
                .addProfiler(GCProfiler.class)
                .addProfiler(ClientCpuProfiler.class)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).runSingle();
    }

    static double score(RunResult result) {
        return result.getPrimaryResult().getScore();
    }

    /**
     * A profiler's result: {@code gc.alloc.rate.norm} (B/op, {@code -prof gc}), {@code client.cpu.norm} (µs/op) or
     * {@code machine.load1} ({@link ClientCpuProfiler}).
     */
    static double secondary(RunResult result, String name) {
        for (String key : result.getSecondaryResults().keySet()) {
            if (key.endsWith(name)) {
                return result.getSecondaryResults().get(key).getScore();
            }
        }
        return Double.NaN;
    }

    private static void write(Path file, List<RunResult> results) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
