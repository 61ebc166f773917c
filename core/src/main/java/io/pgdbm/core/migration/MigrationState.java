package io.pgdbm.core.migration;

/** Where one migration file stands against a module's history. */
public enum MigrationState {
    /** Applied, and the file is unchanged. */
    APPLIED,
    /** Not applied yet. */
    PENDING,
    /** Not applied yet, but older than the newest applied file: it would run out of order. */
    OUT_OF_ORDER,
    /** Applied, but the file has changed since. */
    CHANGED,
    /** Applied, but the file is no longer there. */
    MISSING
}
