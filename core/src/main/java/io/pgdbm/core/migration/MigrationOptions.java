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
 */
public record MigrationOptions(Duration lockWait, Duration statementTimeout) {

    public MigrationOptions {
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (lockWait.isNegative() || statementTimeout.isNegative()) {
            throw new IllegalArgumentException("lockWait and statementTimeout must not be negative");
        }
    }

    /** Wait up to 10 minutes for the lock; no statement timeout. */
    public static MigrationOptions defaults() {
        return new MigrationOptions(Duration.ofMinutes(10), Duration.ZERO);
    }

    public MigrationOptions withLockWait(Duration value) {
        return new MigrationOptions(value, statementTimeout);
    }

    public MigrationOptions withStatementTimeout(Duration value) {
        return new MigrationOptions(lockWait, value);
    }
}
