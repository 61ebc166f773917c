package io.pgdbm.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** The {@code --name=value} command lines of the benchmark mains, read one way. */
final class Options {

    private Options() {
    }

    /**
     * Hands each {@code --name=value} to {@code option} (which throws {@link IllegalArgumentException} for a name it
     * does not know).
     *
     * @return whether {@code --help} or {@code -h} was given
     */
    static boolean read(String[] args, BiConsumer<String, String> option) {
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Cannot read argument '" + arg + "': write --name=value");
            }
            option.accept(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return help;
    }

    static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("Unknown option --" + name);
    }

    /** A whole number of at least {@code minimum}. */
    static int count(String name, String value, int minimum) {
        try {
            int number = Integer.parseInt(value);
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number of at least " + minimum + ", not '"
                + value + "'");
    }

    /** The phases named in a comma-separated {@code value}, in the order of {@code known}. */
    static List<String> phases(String value, List<String> known) {
        List<String> phases = Arrays.asList(value.split(","));
        for (String phase : phases) {
            if (!known.contains(phase)) {
                throw new IllegalArgumentException("Unknown phase '" + phase + "'; phases: " + known);
            }
        }
        return known.stream().filter(phases::contains).toList();
    }
}
