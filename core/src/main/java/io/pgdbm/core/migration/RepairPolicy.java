package io.pgdbm.core.migration;

/**
 * Which changed files {@link Migrator#repair(RepairPolicy)} records as they are now. Repair never runs a file: a file
 * whose statements changed keeps in the database what its old statements did, so accepting it hides a schema change
 * unless someone has made that change by other means.
 */
public enum RepairPolicy {
    /** Only files whose change is known to be in comments or whitespace ({@link MigrationChange#COMMENTS_OR_WHITESPACE}). */
    COMMENTS_AND_WHITESPACE,
    /**
     * Every changed file, whatever changed: for files whose new statements the schema already reflects, or whose change
     * a person has reviewed and accepted (the command line asks first, or takes {@code --yes}).
     */
    ANY_CHANGE;

    boolean accepts(MigrationChange change) {
        return this == ANY_CHANGE || change == MigrationChange.COMMENTS_OR_WHITESPACE;
    }
}
