package io.pgdbm.core.migration;

import java.time.LocalDateTime;

/**
 * One row of a module's history table.
 *
 * @param filename the file applied
 * @param checksum its checksum when it was applied
 * @param appliedAt when (the server's local time, as pgdbm records it)
 * @param appliedBy the database user that applied it
 * @param executionTimeMs how long it took, or {@code null} when not recorded
 */
public record AppliedMigration(String filename, String checksum, LocalDateTime appliedAt, String appliedBy,
        Integer executionTimeMs) {
}
