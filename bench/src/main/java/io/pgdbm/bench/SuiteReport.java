package io.pgdbm.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the measurements into the ratio table. Per pair, from the interleaved phase: each side's ops/s, the pgdbm/raw
 * throughput ratio (median and quartiles over slice pairs, not the quotient of the two ops/s) and each side's client
 * CPU per operation. From JMH: each side's ops/s (median over rounds), each round's ratio and each side's allocation
 * per operation. Then the target and whether it is met: the throughput target on the interleaved ratio when there is
 * one, else on the median JMH ratio; the allocation target on JMH's B/op.
 */
final class SuiteReport {

    /** The targets the issue sets: minimum throughput ratio and maximum allocation ratio, where it sets one. */
    private static final Map<String, Target> TARGETS = Map.of(
            "pointSelect", new Target(0.95, 1.5),
            "insertReturningId", new Target(0.95, Double.NaN),
            "copy10k", new Target(0.95, Double.NaN));

    private final List<String> pairs;
    /** pair -> round -> side -> JMH measurement. */
    private final Map<String, Map<Integer, Map<String, Measurement>>> jmh = new HashMap<>();
    private final Map<String, Interleaved> interleaved = new HashMap<>();

    SuiteReport(List<String> pairs) {
        this.pairs = pairs;
    }

    void add(int round, String pair, String side, double opsPerSecond, double bytesPerOp, double cpuMicrosPerOp,
            double load) {
        jmh.computeIfAbsent(pair, p -> new TreeMap<>()).computeIfAbsent(round, r -> new HashMap<>())
                .put(side, new Measurement(opsPerSecond, bytesPerOp, cpuMicrosPerOp, load));
    }

    void addInterleaved(String pair, double median, double lowerQuartile, double upperQuartile, double pgdbmOps,
            double rawOps, double pgdbmCpuMicros, double rawCpuMicros) {
        interleaved.put(pair, new Interleaved(median, lowerQuartile, upperQuartile, pgdbmOps, rawOps, pgdbmCpuMicros,
                rawCpuMicros));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("| Pair | raw ops/s | pgdbm ops/s | pgdbm/raw ops/s: median (quartiles) | raw ops/s (JMH)"
                + " | pgdbm ops/s (JMH) | pgdbm/raw ops/s (JMH, per round) | raw B/op | pgdbm B/op | pgdbm/raw B/op"
                + " | client CPU µs/op, raw → pgdbm | target | met |\n");
        out.append("|---|---:|---:|---|---:|---:|---|---:|---:|---:|---|---|---|\n");
        List<Double> loads = new ArrayList<>();
        for (String pair : pairs) {
            Interleaved mixed = interleaved.get(pair);
            Summary s = summarise(pair);
            if (s != null) {
                loads.addAll(s.loads);
            }
            Target target = TARGETS.get(pair);
            out.append("| ").append(pair)
                    .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.rawOps))
                    .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.pgdbmOps))
                    .append(" | ").append(mixed == null ? "—" : String.format(Locale.ROOT, "**%.3f** (%.2f–%.2f)",
                            mixed.median, mixed.lowerQuartile, mixed.upperQuartile))
                    .append(" | ").append(s == null ? "—" : format("%,.1f", s.raw.opsPerSecond))
                    .append(" | ").append(s == null ? "—" : format("%,.1f", s.pgdbm.opsPerSecond))
                    .append(" | ").append(s == null ? "—" : s.perRound.stream().map(r -> format("%.2f", r))
                            .collect(Collectors.joining(" ")))
                    .append(" | ").append(s == null ? "—" : format("%,.0f", s.raw.bytesPerOp))
                    .append(" | ").append(s == null ? "—" : format("%,.0f", s.pgdbm.bytesPerOp))
                    .append(" | ").append(s == null ? "—" : format("%.3f", s.allocationRatio))
                    .append(" | ").append(mixed == null ? "—" : format("%,.1f", mixed.rawCpuMicros) + " → "
                            + format("%,.1f", mixed.pgdbmCpuMicros))
                    .append(" | ").append(target == null ? "—" : target.describe())
                    .append(" | ").append(target == null ? "—" : verdict(target, mixed, s))
                    .append(" |\n");
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

    String json(Machine machine) {
        StringBuilder out = new StringBuilder("{\n  \"machine\": \"").append(escape(machine.describe()))
                .append("\",\n  \"pairs\": [");
        String separator = "\n";
        for (String pair : pairs) {
            Interleaved mixed = interleaved.get(pair);
            Summary s = summarise(pair);
            out.append(separator).append("    {\"pair\": \"").append(pair).append('"');
            if (mixed != null) {
                out.append(String.format(Locale.ROOT, ", \"interleavedRatio\": %.4f, \"interleavedQuartiles\":"
                        + " [%.4f, %.4f], \"interleavedPgdbmOpsPerSecond\": %.1f, \"interleavedRawOpsPerSecond\":"
                        + " %.1f, \"interleavedRawCpuMicrosPerOp\": %.3f, \"interleavedPgdbmCpuMicrosPerOp\": %.3f",
                        mixed.median, mixed.lowerQuartile, mixed.upperQuartile, mixed.pgdbmOps, mixed.rawOps,
                        mixed.rawCpuMicros, mixed.pgdbmCpuMicros));
            }
            if (s != null) {
                out.append(String.format(Locale.ROOT, ", \"jmhRawOpsPerSecond\": %.1f, \"jmhPgdbmOpsPerSecond\":"
                        + " %.1f, \"jmhRatioPerRound\": %s, \"rawBytesPerOp\": %.1f, \"pgdbmBytesPerOp\": %.1f,"
                        + " \"allocationRatio\": %.4f, \"jmhRawCpuMicrosPerOp\": %.2f,"
                        + " \"jmhPgdbmCpuMicrosPerOp\": %.2f",
                        s.raw.opsPerSecond, s.pgdbm.opsPerSecond, s.perRound.stream().map(r -> format("%.4f", r))
                                .collect(Collectors.joining(", ", "[", "]")), s.raw.bytesPerOp, s.pgdbm.bytesPerOp,
                        s.allocationRatio, s.raw.cpuMicrosPerOp, s.pgdbm.cpuMicrosPerOp));
            }
            Target target = TARGETS.get(pair);
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

    private Summary summarise(String pair) {
        Map<Integer, Map<String, Measurement>> rounds = jmh.get(pair);
        if (rounds == null) {
            return null;
        }
        List<Measurement> raws = new ArrayList<>();
        List<Measurement> pgdbms = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> allocationRatios = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (Map<String, Measurement> round : rounds.values()) {
            Measurement raw = round.get("raw");
            Measurement pgdbm = round.get("pgdbm");
            if (raw == null || pgdbm == null) {
                continue;
            }
            raws.add(raw);
            pgdbms.add(pgdbm);
            ratios.add(pgdbm.opsPerSecond / raw.opsPerSecond);
            allocationRatios.add(pgdbm.bytesPerOp / raw.bytesPerOp);
            loads.add(raw.load);
            loads.add(pgdbm.load);
        }
        if (ratios.isEmpty()) {
            return null;
        }
        return new Summary(Measurement.median(raws), Measurement.median(pgdbms), median(ratios), ratios,
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

    private record Interleaved(double median, double lowerQuartile, double upperQuartile, double pgdbmOps,
            double rawOps, double pgdbmCpuMicros, double rawCpuMicros) {
    }

    private record Summary(Measurement raw, Measurement pgdbm, double throughputRatio, List<Double> perRound,
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
