package io.pgdbm.core.migration;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
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
        // Both travel as PostgreSQL integer millisecond settings.
        if (lockWait.compareTo(MAX_SERVER_DURATION) > 0 || statementTimeout.compareTo(MAX_SERVER_DURATION) > 0) {
            throw new IllegalArgumentException("lockWait and statementTimeout must be at most "
                    + Durations.format(MAX_SERVER_DURATION) + " (PostgreSQL's limit)");
        }
    }

    private static final Duration MAX_SERVER_DURATION = Duration.ofMillis(Integer.MAX_VALUE);

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

    /**
     * The defaults, overridden by the {@code pgdbm.migrate.*} settings of the map ({@link ConfigKey} lists them). Other
     * keys are ignored, so a map of all an application's settings can be passed; an unknown key under
     * {@code pgdbm.migrate.} is a misspelling, and fails.
     *
     * @throws ConfigurationException naming the key for an unknown key or a value that does not parse
     */
    public static MigrationOptions fromProperties(Map<String, String> properties) {
        MigrationOptions options = defaults();
        for (Map.Entry<String, String> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("pgdbm.migrate.")) {
                continue;
            }
            ConfigKey setting = ConfigKey.forKey(key);
            if (setting != null && setting.scope() != ConfigKey.Scope.MIGRATION) {
                continue;
            }
            if (setting == null) {
                throw new ConfigurationException(key, "Unknown setting " + key + "; known migration settings: "
                        + Arrays.stream(ConfigKey.values()).filter(candidate -> candidate.scope() == ConfigKey.Scope.MIGRATION).toList());
            }
            String text = entry.getValue();
            if (text == null) {
                throw new ConfigurationException(key, key + " has no value");
            }
            options = switch (setting) {
                case MIGRATE_LOCK_WAIT -> options.withLockWait(nonNegative(setting, setting.parseDuration(text)));
                case MIGRATE_STATEMENT_TIMEOUT -> options.withStatementTimeout(
                        nonNegative(setting, setting.parseDuration(text)));
                case MIGRATE_ALLOW_OUT_OF_ORDER -> options.withAllowOutOfOrder(setting.parseBoolean(text));
                case MIGRATE_ALLOW_MISSING -> options.withAllowMissing(setting.parseBoolean(text));
                case MIGRATE_ALLOW_CHANGED -> options.withAllowChanged(setting.parseBoolean(text));
                default -> throw new IllegalStateException("unhandled setting " + setting);
            };
        }
        return options;
    }

    private static Duration nonNegative(ConfigKey setting, Duration value) {
        if (value.isNegative()) {
            throw setting.invalid(Durations.format(value), "must not be negative");
        }
        if (value.compareTo(MAX_SERVER_DURATION) > 0) {
            throw setting.invalid(Durations.format(value), "must be at most " + Durations.format(MAX_SERVER_DURATION)
                    + " (PostgreSQL's limit)");
        }
        return value;
    }
}
