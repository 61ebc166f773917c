package io.pgdbm.testing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a database pgdbm-testing made, which says who made it and when, so that the next run can tell a database
 * a killed run left behind from one in use:
 * {@code pgdbm_test_<machine>_<pid>_<process start>_<created>_<n>}, with {@code _tpl} after a template's. Times are
 * epoch seconds; the machine is {@link TestProcess#machine()}. At most 63 characters, PostgreSQL's limit.
 *
 * @param owner the process that made it
 * @param createdEpochSecond when it was made
 * @param sequence its number among the databases its process made
 * @param template whether it is a template
 */
record TestDatabaseName(TestProcess owner, long createdEpochSecond, long sequence, boolean template) {

    static final String PREFIX = "pgdbm_test_";
    /** The format, and nothing else: a name this does not match is never dropped by a sweep. */
    static final Pattern FORMAT = Pattern.compile(
            "pgdbm_test_([0-9a-f]{8})_(\\d{1,10})_(\\d{1,11})_(\\d{1,11})_(\\d{1,9})(_tpl)?");

    /** The name's parts, when {@code name} is one pgdbm-testing made. */
    static Optional<TestDatabaseName> parse(String name) {
        Matcher matcher = FORMAT.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        TestProcess owner = new TestProcess(matcher.group(1), Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3)));
        return Optional.of(new TestDatabaseName(owner, Long.parseLong(matcher.group(4)),
                Long.parseLong(matcher.group(5)), matcher.group(6) != null));
    }

    /** The database name. */
    @Override
    public String toString() {
        return PREFIX + owner.machine() + "_" + owner.pid() + "_" + owner.startedEpochSecond() + "_"
                + createdEpochSecond + "_" + sequence + (template ? "_tpl" : "");
    }
}
