package io.pgdbm.core.migration;

/**
 * How a file changed after it was applied ({@link MigrationState#CHANGED}), as far as pgdbm can tell from the history.
 * Whatever the change, the database keeps what the file did when it was applied: a changed file never runs again.
 */
public enum MigrationChange {
    /** Only comments or whitespace changed: its statements are the ones that ran. */
    COMMENTS_OR_WHITESPACE("only comments or whitespace changed"),
    /** Its statements changed: they differ from the ones that ran, and they will not run. */
    STATEMENTS("its statements changed"),
    /**
     * Its history row has no checksum of its statements (written by pgdbm for Python, or by an earlier pgdbm-java), so
     * pgdbm cannot tell whether its statements changed.
     */
    UNKNOWN("pgdbm cannot tell whether its statements changed (its history row, written by pgdbm for Python or an "
            + "earlier pgdbm-java, has no checksum of its statements)");

    private final String description;

    MigrationChange(String description) {
        this.description = description;
    }

    /** What changed, for messages: {@code "only comments or whitespace changed"}. */
    public String description() {
        return description;
    }

    /** The change between an applied row and the file on disk now. */
    static MigrationChange between(AppliedMigration applied, MigrationFile file) {
        if (applied.statementsChecksum() == null) {
            return UNKNOWN;
        }
        return applied.statementsChecksum().equals(file.statementsChecksum()) ? COMMENTS_OR_WHITESPACE : STATEMENTS;
    }
}
