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
 * @param statementsChecksum the checksum of its statements without comments and whitespace
 *     ({@link MigrationFile#statementsChecksum()}), or {@code null} when the row was written without one (by pgdbm for
 *     Python, or by pgdbm-java before it kept them)
 */
public record AppliedMigration(String filename, String checksum, LocalDateTime appliedAt, String appliedBy,
        Integer executionTimeMs, String statementsChecksum) {
}
