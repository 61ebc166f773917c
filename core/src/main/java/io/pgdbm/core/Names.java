package io.pgdbm.core;

import io.pgdbm.core.internal.sql.Identifiers;

/** The rule module names, schemas and table names follow: {@code [A-Za-z_][A-Za-z0-9_]{0,62}}. */
public final class Names {

    /** The rule as a regular expression. */
    public static final String RULE = Identifiers.RULE;

    private Names() {
    }

    /** Whether {@code name} may name a module, a schema or a table. */
    public static boolean isValid(String name) {
        return Identifiers.isValid(name);
    }

    /** The rule in words, for messages. */
    public static String explain() {
        return Identifiers.explain();
    }
}
