package io.pgdbm.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses and prints durations the way pgdbm configuration writes them: {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 2h}, ISO-8601 ({@code PT30S}), or {@code 0}.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Duration parse(String text) {
        String value = text.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (value.length() > 1 && (value.charAt(0) == 'P' || value.charAt(0) == 'p')) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        int unitStart = 0;
        while (unitStart < value.length() && Character.isDigit(value.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 18) {
            throw invalid(text);
        }
        long amount = Long.parseLong(value.substring(0, unitStart));
        try {
            return ofUnit(amount, value.substring(unitStart).trim().toLowerCase(Locale.ROOT), text);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    private static Duration ofUnit(long amount, String unit, String text) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
            case "min":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                throw invalid(text);
        }
    }

    /** The shortest exact form: {@code 250ms}, {@code 30s}, {@code 10m}. */
    public static String format(Duration duration) {
        if (Math.abs(duration.getSeconds()) > Long.MAX_VALUE / 1000 - 1) {
            return duration.getSeconds() + "s";
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write it as 500ms, 30s, 10m, 2h, "
                + "ISO-8601 (PT30S), or 0");
    }
}
