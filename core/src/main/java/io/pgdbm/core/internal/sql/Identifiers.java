package io.pgdbm.core.internal.sql;

import java.util.regex.Pattern;

/** The identifier rule for schemas, tables and module names, and quoting. Internal. */
public final class Identifiers {

    /** The contract's rule: ASCII letters, digits and underscore, not starting with a digit, at most 63 characters. */
    public static final String RULE = "[A-Za-z_][A-Za-z0-9_]{0,62}";

    static final String RULE_EXPLAINED = "names must match " + RULE
            + " (ASCII letters, digits and _, not starting with a digit, at most 63 characters)";

    private static final Pattern PATTERN = Pattern.compile(RULE);

    private Identifiers() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /** Why {@code name} is not valid, for messages. */
    public static String explain() {
        return RULE_EXPLAINED;
    }

    /** {@code "name"}. Only for names that passed {@link #isValid}: they cannot contain a quote. */
    public static String quote(String name) {
        return '"' + name + '"';
    }
}
