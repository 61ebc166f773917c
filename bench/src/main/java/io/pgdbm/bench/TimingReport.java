package io.pgdbm.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns the timings of {@link MigrationBenchmark} into its table: per measurement each side's median in milliseconds
 * (with the range), the Flyway/pgdbm ratio as the median over the ABBA pairs (with quartiles; each pair was measured
 * back to back, so a slow moment of the machine hits both of its sides), the target the issue sets, and whether it is
 * met.
 */
final class MigrationReport {

    private final List<Row> rows = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();

    /**
     * Adds a measurement. {@code pgdbmMillis} and {@code flywayMillis} are aligned: element i of both forms pair i.
     *
     * @param target what the issue asks for, or {@code null}
     */
    void add(String key, String title, List<Double> pgdbmMillis, List<Double> flywayMillis, Target target) {
        rows.add(new Row(key, title, List.copyOf(pgdbmMillis), List.copyOf(flywayMillis), target));
    }

    /** Adds a measurement of neither side that puts the others in proportion, such as pgjdbc's own start-up. */
    void addReference(String key, String title, List<Double> millis) {
        references.add(new Reference(key, title, List.copyOf(millis)));
    }

    /** Notes the machine's one-minute load average; the benchmark itself accounts for about 1 of it. */
    void sampleLoad() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            loads.add(load);
        }
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("| Measurement | pgdbm ms: median (min–max) | Flyway ms: median (min–max) | Flyway/pgdbm: median of"
                + " pairs (quartiles) | n | Target | Met |\n");
        out.append("|---|---:|---:|---|---:|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.title)
                    .append(" | ").append(millis(row.pgdbm))
                    .append(" | ").append(millis(row.flyway))
                    .append(" | ").append(String.format(Locale.ROOT, "**%.2f×** (%.2f–%.2f)", row.ratio(),
                            quantile(row.ratios(), 0.25), quantile(row.ratios(), 0.75)))
                    .append(" | ").append(row.pgdbm.size())
                    .append(" | ").append(row.target == null ? "—" : row.target.description)
                    .append(" | ").append(row.target == null ? "—" : row.target.met.test(row) ? "yes" : "**no**")
                    .append(" |\n");
        }
        if (!loads.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nLoad average (1 min) during the measurements: median %.1f, from"
                    + " %.1f to %.1f.%n", median(loads), loads.stream().mapToDouble(d -> d).min().orElse(0),
                    loads.stream().mapToDouble(d -> d).max().orElse(0)));
        }
        if (!references.isEmpty()) {
            out.append("\n| Reference | ms: median (min–max) | n |\n|---|---:|---:|\n");
            for (Reference reference : references) {
                out.append("| ").append(reference.title).append(" | ").append(millis(reference.millis)).append(" | ")
                        .append(reference.millis.size()).append(" |\n");
            }
        }
        return out.toString();
    }

    String json(Machine machine, MigrationSettings settings) {
        StringBuilder out = new StringBuilder("{\n  \"machine\": \"").append(escape(machine.describe()))
                .append("\",\n  \"settings\": \"").append(escape(settings.describe()))
                .append("\",\n  \"load1\": ").append(array(loads))
                .append(",\n  \"measurements\": [");
        String separator = "\n";
        for (Row row : rows) {
            out.append(separator).append(String.format(Locale.ROOT, "    {\"measurement\": \"%s\", \"title\": \"%s\","
                    + " \"pgdbmMedianMillis\": %.3f, \"flywayMedianMillis\": %.3f, \"flywayPerPgdbm\": %.4f,"
                    + " \"flywayPerPgdbmQuartiles\": [%.4f, %.4f], \"pgdbmMillis\": %s, \"flywayMillis\": %s,"
                    + " \"target\": %s, \"targetMet\": %s}", row.key, escape(row.title), median(row.pgdbm),
                    median(row.flyway), row.ratio(), quantile(row.ratios(), 0.25), quantile(row.ratios(), 0.75),
                    array(row.pgdbm), array(row.flyway),
                    row.target == null ? "null" : "\"" + escape(row.target.description) + "\"",
                    row.target == null ? "null" : Boolean.toString(row.target.met.test(row))));
            separator = ",\n";
        }
        out.append("\n  ],\n  \"references\": [");
        separator = "\n";
        for (Reference reference : references) {
            out.append(separator).append(String.format(Locale.ROOT, "    {\"measurement\": \"%s\", \"title\": \"%s\","
                    + " \"medianMillis\": %.3f, \"millis\": %s}", reference.key, escape(reference.title),
                    median(reference.millis), array(reference.millis)));
            separator = ",\n";
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private static String millis(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%,.1f (%,.1f–%,.1f)", median(values), min, max);
    }

    private static String array(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).collect(Collectors.joining(", ", "[",
                "]"));
    }

    static double median(List<Double> values) {
        return SuiteReport.median(values);
    }

    static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        double position = q * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.size() - 1, below + 1);
        return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** A target of the issue: its wording, and the test of a row against it. */
    record Target(String description, Predicate<Row> met) {

        /** Flyway's time at least {@code factor} times pgdbm's (median of the pair ratios). */
        static Target fasterBy(double factor) {
            return new Target(String.format(Locale.ROOT, "Flyway/pgdbm ≥ %.0f×", factor), row -> row.ratio() >= factor);
        }

        /** pgdbm's median at most {@code millis}. */
        static Target pgdbmWithin(double millis) {
            return new Target(String.format(Locale.ROOT, "pgdbm ≤ %.0f ms", millis),
                    row -> median(row.pgdbm) <= millis);
        }
    }

    private record Reference(String key, String title, List<Double> millis) {
    }

    /** One measurement: element i of each list is pair i. */
    record Row(String key, String title, List<Double> pgdbm, List<Double> flyway, Target target) {

        List<Double> ratios() {
            List<Double> ratios = new ArrayList<>(pgdbm.size());
            for (int i = 0; i < pgdbm.size(); i++) {
                ratios.add(flyway.get(i) / pgdbm.get(i));
            }
            return ratios;
        }

        /** Flyway's time over pgdbm's: the median of the pair ratios. */
        double ratio() {
            return median(ratios());
        }
    }
}
