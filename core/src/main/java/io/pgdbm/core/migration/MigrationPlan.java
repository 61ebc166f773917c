package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The compare step: the files on disk against the history, and the checks a run makes before it acts. */
final class MigrationPlan {

    private static final Pattern VERSION = Pattern.compile("V?(\\d{1,18})_.*");

    private MigrationPlan() {
    }

    /** A status per file and per history row, in version order. */
    static List<MigrationStatus> compare(List<MigrationFile> files, Map<String, AppliedMigration> applied) {
        Map<String, MigrationFile> byName = new HashMap<>();
        for (MigrationFile file : files) {
            byName.put(file.filename(), file);
        }
        // The newest applied version counts rows whose file is gone too: a pending file older than it is out of order.
        long newestApplied = Long.MIN_VALUE;
        for (AppliedMigration row : applied.values()) {
            MigrationFile file = byName.get(row.filename());
            newestApplied = Math.max(newestApplied, file != null ? file.version() : versionOf(row.filename()));
        }
        Map<String, MigrationFile> onDisk = new HashMap<>();
        List<MigrationStatus> statuses = new ArrayList<>();
        for (MigrationFile file : files) {
            onDisk.put(file.filename(), file);
            AppliedMigration row = applied.get(file.filename());
            MigrationState state;
            if (row == null) {
                state = file.version() < newestApplied ? MigrationState.OUT_OF_ORDER : MigrationState.PENDING;
            } else {
                state = row.checksum().equals(file.checksum()) ? MigrationState.APPLIED : MigrationState.CHANGED;
            }
            statuses.add(new MigrationStatus(file.filename(), file.version(), state, file, row));
        }
        for (AppliedMigration row : applied.values()) {
            if (!onDisk.containsKey(row.filename())) {
                statuses.add(new MigrationStatus(row.filename(), versionOf(row.filename()), MigrationState.MISSING,
                        null, row));
            }
        }
        statuses.sort(Comparator.comparingLong(MigrationStatus::version).thenComparing(MigrationStatus::filename));
        return statuses;
    }

    /** The version in a recorded file name, or -1 for a name pgdbm (Python) accepted but that has none. */
    private static long versionOf(String filename) {
        Matcher matcher = VERSION.matcher(filename);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /**
     * Fails with one message listing every problem the options do not allow, each with what to do.
     *
     * @throws MigrationException naming the module and the first file at fault
     */
    static void validate(String module, List<MigrationStatus> statuses, MigrationOptions options) {
        List<String> problems = new ArrayList<>();
        String firstFile = null;
        String newest = statuses.stream().filter(s -> s.state() == MigrationState.APPLIED
                || s.state() == MigrationState.CHANGED).map(MigrationStatus::filename).reduce((a, b) -> b)
                .orElse(null);
        for (MigrationStatus status : statuses) {
            String problem = switch (status.state()) {
                case CHANGED -> options.allowChanged() ? null : status.filename() + " was changed after it was "
                        + "applied (history checksum " + status.applied().checksum() + ", file now "
                        + status.file().checksum() + "): revert the change and put it in a new migration, or run "
                        + "repair to accept the file as it is now";
                case OUT_OF_ORDER -> options.allowOutOfOrder() ? null : status.filename() + " is pending but "
                        + "older than the newest applied migration " + newest + ": give it a number after that one, "
                        + "or set pgdbm.migrate.allow-out-of-order=true";
                case MISSING -> options.allowMissing() ? null : status.filename() + " was applied but is missing "
                        + "from the migrations folder: restore it, or set pgdbm.migrate.allow-missing=true";
                default -> null;
            };
            if (problem != null) {
                problems.add(problem);
                if (firstFile == null) {
                    firstFile = status.filename();
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(module, firstFile, module + " - " + problems.size() + " migration "
                    + (problems.size() == 1 ? "problem" : "problems") + ", nothing was changed:\n  - "
                    + String.join("\n  - ", problems), problems);
        }
    }
}
