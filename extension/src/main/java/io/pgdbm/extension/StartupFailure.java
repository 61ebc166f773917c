package io.pgdbm.extension;

import io.pgdbm.ConfigurationException;
import io.pgdbm.MigrationException;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.List;

/** The one-line summary a failed start-up gets, with pgdbm's exception as the cause. */
final class StartupFailure {

    private StartupFailure() {
    }

    /**
     * The summary of {@code cause}: one line that names the module and the file. When the checks before a run found
     * problems (a file changed after it was applied, ...), nothing ran, and the line says what was found; a file that
     * failed is named with its line.
     */
    static DeploymentException of(RuntimeException cause) {
        String summary;
        if (cause instanceof MigrationException migration && !migration.problems().isEmpty()) {
            // The checks before the run: nothing ran, so say what was found, not that something failed at a file.
            List<String> problems = migration.problems();
            summary = "pgdbm: module " + migration.module() + " was not migrated, and the application does not start: "
                    + problems.get(0) + (problems.size() == 1 ? ""
                            : " (and " + (problems.size() - 1) + " more: " + String.join("; ",
                                    problems.subList(1, problems.size())) + ")");
            return new DeploymentException(summary, cause);
        } else if (cause instanceof MigrationException migration) {
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
