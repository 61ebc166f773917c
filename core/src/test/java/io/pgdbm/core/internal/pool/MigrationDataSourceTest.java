package io.pgdbm.core.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The migration connection's socket timeout rule; that a migration outlasts the pool's is in SilentNetworkTest. */
class MigrationDataSourceTest {

    @Test
    void migrationWithoutAStatementTimeoutHasNoSocketTimeout() {
        assertThat(MigrationDataSource.networkTimeoutMillis(Duration.ZERO, Duration.ofMinutes(10))).isZero();
    }

    @Test
    void migrationWithAStatementTimeoutWaitsTheLongerOfItAndTheLockWaitPlusTenSeconds() {
        assertThat(MigrationDataSource.networkTimeoutMillis(Duration.ofMinutes(30), Duration.ofMinutes(10)))
                .isEqualTo(30 * 60_000 + 10_000);
        assertThat(MigrationDataSource.networkTimeoutMillis(Duration.ofMinutes(1), Duration.ofMinutes(10)))
                .as("the wait for the lock is bounded by lock_timeout, not statement_timeout")
                .isEqualTo(10 * 60_000 + 10_000);
    }
}
