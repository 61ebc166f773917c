package io.pgdbm.core.migration;

import java.util.List;

/**
 * What a migration run of one module did.
 *
 * @param module the module
 * @param schema the schema it migrated
 * @param applied the files applied by this run, in order, with their durations
 * @param skipped the files that were already applied
 * @param totalMillis the whole run, lock wait included
 */
public record MigrationResult(String module, String schema, List<Applied> applied, List<String> skipped,
        long totalMillis) {

    /**
     * One applied file.
     *
     * @param filename the file's name
     * @param millis how long it took
     */
    public record Applied(String filename, long millis) {
    }

    public MigrationResult {
        applied = List.copyOf(applied);
        skipped = List.copyOf(skipped);
    }

    /** True when nothing needed applying. */
    public boolean upToDate() {
        return applied.isEmpty();
    }
}
