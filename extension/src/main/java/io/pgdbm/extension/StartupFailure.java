package io.pgdbm.extension;

import io.pgdbm.ConfigurationException;
import io.pgdbm.MigrationException;
import jakarta.enterprise.inject.spi.DeploymentException;

/** The one-line summary a failed start-up gets, with pgdbm's exception as the cause. */
final class StartupFailure {

    private StartupFailure() {
    }

    static DeploymentException of(RuntimeException cause) {
        String summary;
        if (cause instanceof MigrationException migration) {
            summary = "pgdbm: migrating module " + migration.module() + " failed"
                    + (migration.file() != null ? " at " + migration.file()
                            + (migration.line() > 0 ? " line " + migration.line() : "") : "")
                    + "; the application does not start. " + cause.getMessage();
        } else if (cause instanceof ConfigurationException configuration) {
            summary = "pgdbm: configuration " + configuration.key() + " is wrong; the application does not "
                    + "start. " + cause.getMessage();
        } else {
            summary = "pgdbm: start-up failed; the application does not start. " + cause.getMessage();
        }
        return new DeploymentException(summary, cause);
    }
}
