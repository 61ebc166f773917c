package io.pgdbm.core.migration;

import java.time.Duration;
import java.util.Objects;

/**
 * How a migration run behaves.
 *
 * @param lockWait how long to wait for another deployer's migration lock of the same module; unaffected by the
 *     session's {@code lock_timeout}
 * @param statementTimeout {@code statement_timeout} on the migration connection ({@link Duration#ZERO}: none), so the
 *     pool's guardrail for application queries does not cut long migrations short
 * @param allowOutOfOrder apply a pending file older than the newest applied one instead of failing
 * @param allowMissing go on when an applied file is no longer in the folder
 * @param allowChanged go on when an applied file has changed (the history keeps the old checksum)
 */
public record MigrationOptions(Duration lockWait, Duration statementTimeout, boolean allowOutOfOrder,
        boolean allowMissing, boolean allowChanged) {

    public MigrationOptions {
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (lockWait.isNegative() || statementTimeout.isNegative()) {
            throw new IllegalArgumentException("lockWait and statementTimeout must not be negative");
        }
    }

    /** Wait up to 10 minutes for the lock; no statement timeout. */
    public static MigrationOptions defaults() {
        return new MigrationOptions(Duration.ofMinutes(10), Duration.ZERO, false, false, false);
    }

    public MigrationOptions withLockWait(Duration value) {
        return new MigrationOptions(value, statementTimeout, allowOutOfOrder, allowMissing, allowChanged);
    }

    public MigrationOptions withStatementTimeout(Duration value) {
        return new MigrationOptions(lockWait, value, allowOutOfOrder, allowMissing, allowChanged);
    }

    public MigrationOptions withAllowOutOfOrder(boolean value) {
        return new MigrationOptions(lockWait, statementTimeout, value, allowMissing, allowChanged);
    }

    public MigrationOptions withAllowMissing(boolean value) {
        return new MigrationOptions(lockWait, statementTimeout, allowOutOfOrder, value, allowChanged);
    }

    public MigrationOptions withAllowChanged(boolean value) {
        return new MigrationOptions(lockWait, statementTimeout, allowOutOfOrder, allowMissing, value);
    }
}
