package io.pgdbm.core.migration;

import java.util.Optional;

/**
 * One migration's state.
 *
 * @param filename the file's name
 * @param version its version, or -1 for a missing file whose name carries none
 * @param state where it stands
 * @param file the file on disk, or {@code null} when {@link MigrationState#MISSING}
 * @param applied its history row, or {@code null} when not applied
 */
public record MigrationStatus(String filename, long version, MigrationState state, MigrationFile file,
        AppliedMigration applied) {

    /** How the file changed since it was applied; empty unless {@link MigrationState#CHANGED}. */
    public Optional<MigrationChange> change() {
        return state == MigrationState.CHANGED ? Optional.of(MigrationChange.between(applied, file))
                : Optional.empty();
    }
}
