package io.pgdbm.quarkus.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.MigrationException;
import jakarta.enterprise.inject.CreationException;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * How the page finds pgdbm's summary in a failed start, whose chain of causes is the one Quarkus reports (dev mode's
 * test, {@code MigrationsDevModeTest}, shows the page itself).
 */
class StartupFailurePageTest {

    static final String SUMMARY = "pgdbm: module users was not migrated, and the application does not start: "
            + "001_accounts.sql was changed after it was applied (history checksum a, file now b): revert the change";

    @Test
    void findsPgdbmsSummaryUnderQuarkussAndArcsWrappers() {
        DeploymentException summary = new DeploymentException(SUMMARY, new MigrationException("users",
                "001_accounts.sql", "users - 1 migration problem, nothing was changed", List.of("001_accounts.sql ...")));
        Throwable failure = new RuntimeException("Failed to start quarkus",
                new CreationException("Error creating synthetic bean [x]: " + summary, summary));

        assertThat(StartupFailurePage.summaryIn(failure)).isSameAs(summary);
    }

    @Test
    void aServerErrorThatPgdbmDidNotReportIsNotPgdbms() {
        Throwable failure = new RuntimeException("Failed to start quarkus",
                new PSQLException("relation \"settings\" does not exist", PSQLState.UNDEFINED_TABLE));

        assertThat(StartupFailurePage.summaryIn(failure)).isNull();
        assertThat(new StartupFailurePage().page(failure.getCause()))
                .contains("<h2 class=\"container\">org.postgresql.util.PSQLException: relation \"settings\" does "
                        + "not exist</h2>");
    }

    @Test
    void aMessageThatOnlyStartsLikePgdbmsIsNotItsSummary() {
        Throwable failure = new RuntimeException("Failed to start quarkus",
                new IllegalStateException("pgdbm: said the application", new IllegalArgumentException("not pgdbm's")));

        assertThat(StartupFailurePage.summaryIn(failure)).isNull();
    }
}
