package io.pgdbm.core.migration;

import java.util.List;

/**
 * What {@link Migrator#repair(RepairPolicy)} did to one module's history.
 *
 * @param module the module
 * @param recorded the changed files whose current checksums are now recorded (their new content did not run)
 * @param refused the changed files the policy did not accept, left as they were: the next run still refuses them
 */
public record RepairResult(String module, List<ChangedFile> recorded, List<ChangedFile> refused) {

    /**
     * A file changed after it was applied.
     *
     * @param filename the file
     * @param change what changed, as far as pgdbm can tell
     * @param recordedChecksum the checksum the history had
     * @param currentChecksum the file's checksum now
     */
    public record ChangedFile(String filename, MigrationChange change, String recordedChecksum,
            String currentChecksum) {
    }

    public RepairResult {
        recorded = List.copyOf(recorded);
        refused = List.copyOf(refused);
    }
}
