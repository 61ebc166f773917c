package io.pgdbm.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.options.TimeValue;

/** What the command line of {@link BenchmarkSuite} asked for; every option is {@code --name=value}. */
final class SuiteSettings {

    static final String USAGE = """
            usage: BenchmarkSuite [--help] [options], each --name=value:
              --pairs=%s
                                        the default: ModuleDatabase (pgdbm) against hand-written JDBC (raw)
                      also: %s
                                        a metrics listener, the slow-query threshold: on against off
              interleaved phase (the throughput ratios), one fresh JVM per pair:
                --slices=80             slice pairs measured per pair (0 skips the phase)
                --slice-time=100ms      length of one slice
                --interleaved-warmup=8s warm-up of both sides, alternating
              JMH phase (ops/s, B/op, CPU us/op), one fork per side:
                --rounds=1              rounds of every pair, order alternating per round (0 skips the phase)
                --warmup-iterations=3 --warmup-time=2s --iterations=3 --time=2s
              --out=bench/target/results  where the JSON and summary.md go"""
            .formatted(String.join(",", Pair.names(Pair.DEFAULT)), String.join(",", Pair.names(Pair.ALL.stream()
                    .filter(pair -> !Pair.DEFAULT.contains(pair)).toList())));

    List<Pair> pairs = Pair.DEFAULT;
    int slices = 80;
    TimeValue sliceTime = TimeValue.milliseconds(100);
    TimeValue interleavedWarmup = TimeValue.seconds(8);
    int rounds = 1;
    int warmupIterations = 3;
    TimeValue warmupTime = TimeValue.seconds(2);
    int iterations = 3;
    TimeValue time = TimeValue.seconds(2);
    Path out = Path.of("bench", "target", "results");
    boolean help;

    static SuiteSettings parse(String[] args) {
        SuiteSettings settings = new SuiteSettings();
        settings.help = Options.read(args, (name, value) -> {
            switch (name) {
                case "pairs" -> settings.pairs = pairs(value);
                case "slices" -> settings.slices = Options.count(name, value, 0);
                case "slice-time" -> settings.sliceTime = duration(name, value);
                case "interleaved-warmup" -> settings.interleavedWarmup = duration(name, value);
                case "rounds" -> settings.rounds = Options.count(name, value, 0);
                case "warmup-iterations" -> settings.warmupIterations = Options.count(name, value, 0);
                case "warmup-time" -> settings.warmupTime = duration(name, value);
                case "iterations" -> settings.iterations = Options.count(name, value, 1);
                case "time" -> settings.time = duration(name, value);
                case "out" -> settings.out = Path.of(value);
                default -> throw Options.unknown(name);
            }
        });
        return settings;
    }

    private static List<Pair> pairs(String value) {
        return Arrays.stream(value.split(",")).map(Pair::named).toList();
    }

    private static TimeValue duration(String name, String value) {
        try {
            return TimeValue.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 100ms or 2s, not '" + value
                    + "'");
        }
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        if (slices > 0) {
            text.append(String.format(Locale.ROOT, "Interleaved: per pair one JVM, %s warm-up, then %d slice pairs of"
                    + " %s per side in ABBA order; ratio = median over slice pairs.", interleavedWarmup, slices,
                    sliceTime));
        }
        if (rounds > 0) {
            text.append(text.length() > 0 ? "\n" : "").append(String.format(Locale.ROOT, "JMH: %d round(s), each"
                    + " side in its own fork, order alternating per round; %d warm-up x %s, %d measured x %s,"
                    + " 1 thread, -prof gc -prof io.pgdbm.bench.ClientCpuProfiler.", rounds, warmupIterations,
                    warmupTime, iterations, time));
        }
        return text.toString();
    }
}
