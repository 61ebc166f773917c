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
     * Every problem a run would refuse, each with what to do: changed, missing and out-of-order files the options do not
     * allow, and pending files without a statement.
     */
    static List<String> problems(List<MigrationStatus> statuses, MigrationOptions options) {
        return find(statuses, options).stream().map(Problem::message).toList();
    }

    /** A problem, and the file it is about. */
    private record Problem(String file, String message) {
    }

    private static List<Problem> find(List<MigrationStatus> statuses, MigrationOptions options) {
        List<Problem> problems = new ArrayList<>();
        String newest = statuses.stream().filter(s -> s.state() == MigrationState.APPLIED
                || s.state() == MigrationState.CHANGED).map(MigrationStatus::filename).reduce((a, b) -> b)
                .orElse(null);
        for (MigrationStatus status : statuses) {
            String problem = switch (status.state()) {
                case CHANGED -> options.allowChanged() ? null : changed(status);
                case OUT_OF_ORDER -> !status.file().hasStatements() ? noStatement(status)
                        : options.allowOutOfOrder() ? null : status.filename() + " is pending but older than the "
                                + "newest applied migration " + newest + ": give it a number after that one, or set "
                                + "pgdbm.migrate.allow-out-of-order=true";
                case MISSING -> options.allowMissing() ? null : status.filename() + " was applied but is missing "
                        + "from the migrations folder: restore it, or set pgdbm.migrate.allow-missing=true";
                case PENDING -> status.file().hasStatements() ? null : noStatement(status);
                default -> null;
            };
            if (problem != null) {
                problems.add(new Problem(status.filename(), problem));
            }
        }
        return problems;
    }

    private static String changed(MigrationStatus status) {
        MigrationChange change = status.change().orElseThrow();
        String checksums = " (history checksum " + status.applied().checksum() + ", file now "
                + status.file().checksum() + "); ";
        return status.filename() + " was changed after it was applied" + checksums + change.description() + switch (change) {
            case COMMENTS_OR_WHITESPACE -> ": run repair to record the file as it is now";
            case STATEMENTS -> ", and changed statements never run: revert the change and put it in a new migration "
                    + "(repair would record the file without running it)";
            case UNKNOWN -> ": revert the change and put it in a new migration; if only comments or whitespace "
                    + "changed, run repair to record the file as it is now";
        };
    }

    private static String noStatement(MigrationStatus status) {
        return status.filename() + " has no statement, only comments or whitespace: write its SQL, or delete the file";
    }

    /**
     * Fails with one message listing every problem a run would refuse, each with what to do.
     *
     * @throws MigrationException naming the module and the first file at fault, with {@link
     *     MigrationException#problems()}
     */
    static void validate(String module, List<MigrationStatus> statuses, MigrationOptions options) {
        List<Problem> found = find(statuses, options);
        if (!found.isEmpty()) {
            List<String> problems = found.stream().map(Problem::message).toList();
            throw new MigrationException(module, found.get(0).file(), module + " - " + problems.size() + " migration "
                    + (problems.size() == 1 ? "problem" : "problems") + ", nothing was changed:\n  - "
                    + String.join("\n  - ", problems), problems);
        }
    }
}
