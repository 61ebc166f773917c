package io.pgdbm.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the measurements into ratio tables, one per kind of pair (pgdbm against raw, on against off). Per pair, from
 * the interleaved phase: each side's ops/s, the measured/baseline throughput ratio (median and quartiles over slice
 * pairs, not the quotient of the two ops/s) and each side's client CPU per operation. From JMH: each side's ops/s
 * (median over rounds), each round's ratio and each side's allocation per operation. Then the target and whether it
 * is met: the throughput target on the interleaved ratio when there is one, else on the median JMH ratio; the
 * allocation target on JMH's B/op.
 */
final class SuiteReport {

    /** The targets the issues set: minimum throughput ratio and maximum allocation ratio, where they set one. */
    private static final Map<String, Target> TARGETS = Map.of(
            "pointSelect", new Target(0.95, 1.5),
            "insertReturningId", new Target(0.95, Double.NaN),
            "copy10k", new Target(0.95, Double.NaN),
            "pointSelectMetrics", new Target(0.97, Double.NaN));

    private final List<Pair> pairs;
    /** pair -> round -> side -> JMH measurement. */
    private final Map<String, Map<Integer, Map<String, Measurement>>> jmh = new HashMap<>();
    private final Map<String, Interleaved> interleaved = new HashMap<>();

    SuiteReport(List<Pair> pairs) {
        this.pairs = pairs;
    }

    void add(int round, Pair pair, String side, double opsPerSecond, double bytesPerOp, double cpuMicrosPerOp,
            double load) {
        jmh.computeIfAbsent(pair.name(), p -> new TreeMap<>()).computeIfAbsent(round, r -> new HashMap<>())
                .put(side, new Measurement(opsPerSecond, bytesPerOp, cpuMicrosPerOp, load));
    }

    void addInterleaved(Pair pair, double median, double lowerQuartile, double upperQuartile, double measuredOps,
            double baselineOps, double measuredCpuMicros, double baselineCpuMicros) {
        interleaved.put(pair.name(), new Interleaved(median, lowerQuartile, upperQuartile, measuredOps, baselineOps,
                measuredCpuMicros, baselineCpuMicros));
    }

    /** One table per kind of pair (the same side names), in the order the pairs come. */
    String render() {
        Map<String, List<Pair>> kinds = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            kinds.computeIfAbsent(pair.measured() + "/" + pair.baseline(), kind -> new ArrayList<>()).add(pair);
        }
        StringBuilder out = new StringBuilder();
        List<Double> loads = new ArrayList<>();
        for (List<Pair> kind : kinds.values()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            String m = kind.get(0).measured();
            String b = kind.get(0).baseline();
            out.append("| Pair | " + b + " ops/s | " + m + " ops/s | " + m + "/" + b + " ops/s: median (quartiles) | "
                    + b + " ops/s (JMH) | " + m + " ops/s (JMH) | " + m + "/" + b + " ops/s (JMH, per round) | " + b
                    + " B/op | " + m + " B/op | " + m + "/" + b + " B/op | client CPU µs/op, " + b + " → " + m
                    + " | target | met |\n");
            out.append("|---|---:|---:|---|---:|---:|---|---:|---:|---:|---|---|---|\n");
            for (Pair pair : kind) {
                Interleaved mixed = interleaved.get(pair.name());
                Summary s = summarise(pair);
                if (s != null) {
                    loads.addAll(s.loads);
                }
                Target target = TARGETS.get(pair.name());
                out.append("| ").append(pair.name())
                        .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.baselineOps))
                        .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.measuredOps))
                        .append(" | ").append(mixed == null ? "—" : String.format(Locale.ROOT, "**%.3f** (%.2f–%.2f)",
                                mixed.median, mixed.lowerQuartile, mixed.upperQuartile))
                        .append(" | ").append(s == null ? "—" : format("%,.1f", s.baseline.opsPerSecond))
                        .append(" | ").append(s == null ? "—" : format("%,.1f", s.measured.opsPerSecond))
                        .append(" | ").append(s == null ? "—" : s.perRound.stream().map(r -> format("%.2f", r))
                                .collect(Collectors.joining(" ")))
                        .append(" | ").append(s == null ? "—" : format("%,.0f", s.baseline.bytesPerOp))
                        .append(" | ").append(s == null ? "—" : format("%,.0f", s.measured.bytesPerOp))
                        .append(" | ").append(s == null ? "—" : format("%.3f", s.allocationRatio))
                        .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.baselineCpuMicros) + " → "
                                + format("%,.1f", mixed.measuredCpuMicros))
                        .append(" | ").append(target == null ? "—" : target.describe())
                        .append(" | ").append(target == null ? "—" : verdict(target, mixed, s))
                        .append(" |\n");
            }
        }
        if (!loads.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nLoad average (1 min) during the JMH measurements: median %.1f,"
                    + " from %.1f to %.1f.%n", median(loads), loads.stream().mapToDouble(d -> d).min().orElse(0),
                    loads.stream().mapToDouble(d -> d).max().orElse(0)));
        }
        return out.toString();
    }

    private static String verdict(Target target, Interleaved mixed, Summary s) {
        double throughput = mixed != null ? mixed.median : s != null ? s.throughputRatio : Double.NaN;
        double allocation = s != null ? s.allocationRatio : Double.NaN;
        Boolean met = target.met(throughput, allocation);
        return met == null ? "?" : met ? "yes" : "**no**";
    }

    /**
     * The same figures, machine-readable. Keys name the sides: {@code pgdbmBytesPerOp} and {@code rawBytesPerOp} for
     * a pgdbm/raw pair, {@code onBytesPerOp} and {@code offBytesPerOp} for an on/off pair.
     */
    String json(Machine machine) {
        StringBuilder out = new StringBuilder("{\n  \"machine\": \"").append(escape(machine.describe()))
                .append("\",\n  \"pairs\": [");
        String separator = "\n";
        for (Pair pair : pairs) {
            Interleaved mixed = interleaved.get(pair.name());
            Summary s = summarise(pair);
            String m = capitalized(pair.measured());
            String b = capitalized(pair.baseline());
            out.append(separator).append("    {\"pair\": \"").append(pair.name()).append("\", \"measured\": \"")
                    .append(pair.measured()).append("\", \"baseline\": \"").append(pair.baseline()).append('"');
            if (mixed != null) {
                out.append(String.format(Locale.ROOT, ", \"interleavedRatio\": %.4f, \"interleavedQuartiles\":"
                        + " [%.4f, %.4f], \"interleaved%sOpsPerSecond\": %.1f, \"interleaved%sOpsPerSecond\":"
                        + " %.1f, \"interleaved%sCpuMicrosPerOp\": %.3f, \"interleaved%sCpuMicrosPerOp\": %.3f",
                        mixed.median, mixed.lowerQuartile, mixed.upperQuartile, m, mixed.measuredOps, b,
                        mixed.baselineOps, b, mixed.baselineCpuMicros, m, mixed.measuredCpuMicros));
            }
            if (s != null) {
                out.append(String.format(Locale.ROOT, ", \"jmh%sOpsPerSecond\": %.1f, \"jmh%sOpsPerSecond\":"
                        + " %.1f, \"jmhRatioPerRound\": %s, \"%sBytesPerOp\": %.1f, \"%sBytesPerOp\": %.1f,"
                        + " \"allocationRatio\": %.4f, \"jmh%sCpuMicrosPerOp\": %.2f,"
                        + " \"jmh%sCpuMicrosPerOp\": %.2f",
                        b, s.baseline.opsPerSecond, m, s.measured.opsPerSecond, s.perRound.stream()
                                .map(r -> format("%.4f", r)).collect(Collectors.joining(", ", "[", "]")),
                        pair.baseline(), s.baseline.bytesPerOp, pair.measured(), s.measured.bytesPerOp,
                        s.allocationRatio, b, s.baseline.cpuMicrosPerOp, m, s.measured.cpuMicrosPerOp));
            }
            Target target = TARGETS.get(pair.name());
            String met = target == null ? "null" : verdict(target, mixed, s).replace("*", "");
            out.append(", \"targetMet\": ").append(switch (met) {
                case "yes" -> "true";
                case "no" -> "false";
                default -> "null";
            }).append('}');
            separator = ",\n";
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private static String capitalized(String side) {
        return Character.toUpperCase(side.charAt(0)) + side.substring(1);
    }

    private Summary summarise(Pair pair) {
        Map<Integer, Map<String, Measurement>> rounds = jmh.get(pair.name());
        if (rounds == null) {
            return null;
        }
        List<Measurement> baselines = new ArrayList<>();
        List<Measurement> measureds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> allocationRatios = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (Map<String, Measurement> round : rounds.values()) {
            Measurement baseline = round.get(pair.baseline());
            Measurement measured = round.get(pair.measured());
            if (baseline == null || measured == null) {
                continue;
            }
            baselines.add(baseline);
            measureds.add(measured);
            ratios.add(measured.opsPerSecond / baseline.opsPerSecond);
            allocationRatios.add(measured.bytesPerOp / baseline.bytesPerOp);
            loads.add(baseline.load);
            loads.add(measured.load);
        }
        if (ratios.isEmpty()) {
            return null;
        }
        return new Summary(Measurement.median(baselines), Measurement.median(measureds), median(ratios), ratios,
                median(allocationRatios), loads);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private record Measurement(double opsPerSecond, double bytesPerOp, double cpuMicrosPerOp, double load) {

        /** Each figure's median across rounds. */
        static Measurement median(List<Measurement> rounds) {
            return new Measurement(of(rounds, Measurement::opsPerSecond), of(rounds, Measurement::bytesPerOp),
                    of(rounds, Measurement::cpuMicrosPerOp), of(rounds, Measurement::load));
        }

        private static double of(List<Measurement> rounds, ToDoubleFunction<Measurement> figure) {
            return SuiteReport.median(rounds.stream().map(figure::applyAsDouble).toList());
        }
    }

    private record Interleaved(double median, double lowerQuartile, double upperQuartile, double measuredOps,
            double baselineOps, double measuredCpuMicros, double baselineCpuMicros) {
    }

    private record Summary(Measurement baseline, Measurement measured, double throughputRatio, List<Double> perRound,
            double allocationRatio, List<Double> loads) {
    }

    private record Target(double minThroughputRatio, double maxAllocationRatio) {

        /** Whether both parts of the target are met; {@code null} when a needed measurement is missing. */
        Boolean met(double throughputRatio, double allocationRatio) {
            boolean needsAllocation = !Double.isNaN(maxAllocationRatio);
            if (Double.isNaN(throughputRatio) || needsAllocation && Double.isNaN(allocationRatio)) {
                return null;
            }
            return throughputRatio >= minThroughputRatio && (!needsAllocation || allocationRatio <= maxAllocationRatio);
        }

        String describe() {
            return "ops/s ≥ " + minThroughputRatio + "×" + (Double.isNaN(maxAllocationRatio) ? ""
                    : ", B/op ≤ " + maxAllocationRatio + "×");
        }
    }
}
