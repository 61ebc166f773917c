package io.pgdbm.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns timings of two sides measured in pairs into a table: per measurement each side's median in milliseconds
 * (with the range), the second/first ratio as the median over the pairs (with quartiles; each pair was measured back
 * to back, so a slow moment of the machine hits both of its sides), the target the issue sets, and whether it is met.
 * {@link MigrationBenchmark} reports pgdbm (first) against Flyway (second) with it; {@link TestDatabaseBenchmark} a
 * template clone against migrations, and an insert alone against one in a rollback scope.
 */
final class TimingReport {

    private final String first;
    private final String second;
    private final boolean differences;
    private final List<Row> rows = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();

    /**
     * @param first the first side's name, as the table and the JSON keys show it ({@code pgdbm}, {@code clone})
     * @param second the second side's name ({@code Flyway}, {@code migrate})
     * @param differences whether the table also shows second − first, the median of the pairs' differences
     */
    TimingReport(String first, String second, boolean differences) {
        this.first = first;
        this.second = second;
        this.differences = differences;
    }

    /**
     * Adds a measurement. {@code firstMillis} and {@code secondMillis} are aligned: element i of both forms pair i.
     *
     * @param target what the issue asks for, or {@code null}
     */
    void add(String key, String title, List<Double> firstMillis, List<Double> secondMillis, Target target) {
        rows.add(new Row(key, title, List.copyOf(firstMillis), List.copyOf(secondMillis), target));
    }

    /** Adds a measurement of one side only, such as pgjdbc's own start-up, which puts the others in proportion. */
    void addReference(String key, String title, List<Double> millis) {
        addReference(key, title, millis, null, Double.NaN);
    }

    /** Adds a measurement of one side only, with a target: its median at most {@code maxMedianMillis}. */
    void addReference(String key, String title, List<Double> millis, String target, double maxMedianMillis) {
        references.add(new Reference(key, title, List.copyOf(millis), target, maxMedianMillis));
    }

    /** Notes the machine's one-minute load average; the benchmark itself accounts for about 1 of it. */
    void sampleLoad() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            loads.add(load);
        }
    }

    /** The first side's median at most {@code millis}, e.g. {@code pgdbm ≤ 200 ms}. */
    Target firstWithin(double millis) {
        return new Target(String.format(Locale.ROOT, "%s ≤ %.0f ms", first, millis),
                row -> median(row.first) <= millis);
    }

    /** The second side's time at least {@code factor} times the first's (median of the pair ratios). */
    Target fasterBy(double factor) {
        return new Target(String.format(Locale.ROOT, "%s/%s ≥ %.0f×", second, first, factor),
                row -> row.ratio() >= factor);
    }

    /** The second side costs at most {@code millis} more than the first (median of the pair differences). */
    Target overheadWithin(double millis) {
        return new Target(String.format(Locale.ROOT, "%s − %s ≤ %.0f ms", second, first, millis),
                row -> row.difference() <= millis);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        if (!rows.isEmpty()) {
            out.append("| Measurement | ").append(first).append(" ms: median (min–max) | ").append(second)
                    .append(" ms: median (min–max) | ").append(second).append('/').append(first)
                    .append(": median of pairs (quartiles) | ")
                    .append(differences ? second + " − " + first + " ms: median of pairs | " : "")
                    .append("n | Target | Met |\n");
            out.append("|---|---:|---:|---|").append(differences ? "---:|" : "").append("---:|---|---|\n");
        }
        for (Row row : rows) {
            out.append("| ").append(row.title)
                    .append(" | ").append(millis(row.first))
                    .append(" | ").append(millis(row.second))
                    .append(" | ").append(String.format(Locale.ROOT, "**%.2f×** (%.2f–%.2f)", row.ratio(),
                            quantile(row.ratios(), 0.25), quantile(row.ratios(), 0.75)))
                    .append(differences ? String.format(Locale.ROOT, " | %,.3f", row.difference()) : "")
                    .append(" | ").append(row.first.size())
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
            boolean targets = references.stream().anyMatch(reference -> reference.target != null);
            out.append(rows.isEmpty() && loads.isEmpty() ? "" : "\n")
                    .append("| Reference | ms: median (min–max) | n |").append(targets ? " Target | Met |" : "")
                    .append("\n|---|---:|---:|").append(targets ? "---|---|" : "").append('\n');
            for (Reference reference : references) {
                out.append("| ").append(reference.title).append(" | ").append(millis(reference.millis)).append(" | ")
                        .append(reference.millis.size()).append(" |");
                if (targets) {
                    out.append(' ').append(reference.target == null ? "—" : reference.target).append(" | ")
                            .append(reference.target == null ? "—" : reference.met() ? "yes" : "**no**").append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The figures and every sample; keys name the sides ({@code pgdbmMillis}, {@code flywayPerPgdbm}). */
    String json(Machine machine, String settings) {
        String firstKey = key(first);
        String secondKey = key(second);
        StringBuilder out = new StringBuilder("{\n  \"machine\": \"").append(escape(machine.describe()))
                .append("\",\n  \"settings\": \"").append(escape(settings))
                .append("\",\n  \"load1\": ").append(array(loads))
                .append(",\n  \"measurements\": [");
        String separator = "\n";
        for (Row row : rows) {
            out.append(separator).append(String.format(Locale.ROOT, "    {\"measurement\": \"%s\", \"title\": \"%s\","
                    + " \"%sMedianMillis\": %.3f, \"%sMedianMillis\": %.3f, \"%sPer%s\": %.4f,"
                    + " \"%sPer%sQuartiles\": [%.4f, %.4f], \"%sMinus%sMillis\": %.4f, \"%sMillis\": %s,"
                    + " \"%sMillis\": %s, \"target\": %s, \"targetMet\": %s}", row.key, escape(row.title), firstKey,
                    median(row.first), secondKey, median(row.second), secondKey, capitalized(firstKey), row.ratio(),
                    secondKey, capitalized(firstKey), quantile(row.ratios(), 0.25), quantile(row.ratios(), 0.75),
                    secondKey, capitalized(firstKey), row.difference(), firstKey, array(row.first), secondKey,
                    array(row.second), row.target == null ? "null" : "\"" + escape(row.target.description) + "\"",
                    row.target == null ? "null" : Boolean.toString(row.target.met.test(row))));
            separator = ",\n";
        }
        out.append("\n  ],\n  \"references\": [");
        separator = "\n";
        for (Reference reference : references) {
            out.append(separator).append(String.format(Locale.ROOT, "    {\"measurement\": \"%s\", \"title\": \"%s\","
                    + " \"medianMillis\": %.3f, \"millis\": %s, \"target\": %s, \"targetMet\": %s}", reference.key,
                    escape(reference.title), median(reference.millis), array(reference.millis),
                    reference.target == null ? "null" : "\"" + escape(reference.target) + "\"",
                    reference.target == null ? "null" : Boolean.toString(reference.met())));
            separator = ",\n";
        }
        return out.append("\n  ]\n}\n").toString();
    }

    /** A side's name as the start of a JSON key: {@code Flyway} → {@code flyway}, {@code in scope} → {@code inScope}. */
    private static String key(String side) {
        StringBuilder key = new StringBuilder();
        for (String word : side.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                key.append(key.length() == 0 ? word.toLowerCase(Locale.ROOT) : capitalized(word));
            }
        }
        return key.toString();
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String millis(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String pattern = median(values) < 10 ? "%,.2f (%,.2f–%,.2f)" : "%,.1f (%,.1f–%,.1f)";
        return String.format(Locale.ROOT, pattern, median(values), min, max);
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
    }

    private record Reference(String key, String title, List<Double> millis, String target, double maxMedianMillis) {

        boolean met() {
            return median(millis) <= maxMedianMillis;
        }
    }

    /** One measurement: element i of each list is pair i. */
    record Row(String key, String title, List<Double> first, List<Double> second, Target target) {

        List<Double> ratios() {
            List<Double> ratios = new ArrayList<>(first.size());
            for (int i = 0; i < first.size(); i++) {
                ratios.add(second.get(i) / first.get(i));
            }
            return ratios;
        }

        /** Second over first: the median of the pair ratios. */
        double ratio() {
            return median(ratios());
        }

        /** Second minus first, in milliseconds: the median of the pair differences. */
        double difference() {
            List<Double> differences = new ArrayList<>(first.size());
            for (int i = 0; i < first.size(); i++) {
                differences.add(second.get(i) - first.get(i));
            }
            return median(differences);
        }
    }
}
