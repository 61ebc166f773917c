package io.pgdbm.extension;

import io.pgdbm.ConfigurationException;
import io.pgdbm.MigrationException;
import jakarta.enterprise.inject.spi.DeploymentException;

/** The one-line summary a failed start-up gets, with pgdbm's exception as the cause. */
final class StartupFailure {

    private StartupFailure() {
    }

    /**
     * The summary of {@code cause}: one line that names the module and the file; a message that lists several
     * problems keeps its first line here and every line in the cause.
     */
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
        return new DeploymentException(firstLine(summary), cause);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        if (end < 0) {
            return text;
        }
        String first = text.substring(0, end).stripTrailing();
        return (first.endsWith(":") ? first.substring(0, first.length() - 1) : first)
                + " (each is listed in the cause)";
    }
}
