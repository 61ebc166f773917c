package io.pgdbm.core.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Who holds a module's migration lock, from {@code pg_locks} and {@code pg_stat_activity}, worded for a deployer that
 * waited for it in vain: the session (backend pid, role, application, client), what it does and since when, and what
 * to do, above all when it looks stuck.
 */
final class LockHolder {

    /**
     * A holder idle this long looks stuck: a deployer goes from statement to statement without pause (its files are
     * read before it takes the lock), so a session that holds the lock and runs nothing is one whose process hangs or a
     * pooled connection that kept the lock.
     */
    static final Duration IDLE_LOOKS_STUCK = Duration.ofSeconds(2);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    /**
     * The granted advisory lock on the module's key in this database. {@code pg_advisory_lock(bigint)} shows its key
     * as classid (high 32 bits) and objid (low 32 bits) with objsubid 1; hashtext is an int, sign-extended.
     */
    private static final String SQL = "WITH lock_key AS (SELECT hashtext('pgdbm_migration_' || ?)::bigint AS k) "
            + "SELECT a.pid, a.usename, a.application_name, host(a.client_addr), a.client_port, a.state, "
            + "a.backend_start, a.state_change, "
            + "floor(extract(epoch FROM clock_timestamp() - a.state_change) * 1000)::bigint, "
            + "array_to_string(pg_blocking_pids(a.pid), ', '), current_user "
            + "FROM lock_key, pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND l.classid::bigint = ((lock_key.k >> 32) & 4294967295) "
            + "AND l.objid::bigint = (lock_key.k & 4294967295)";

    private LockHolder() {
    }

    /**
     * The end of the lock-wait message, after "waited ... for the migration lock of module m, ": who holds the lock
     * and what to do. A lookup that fails says so instead of failing.
     */
    static String describe(Connection connection, String module) {
        try (PreparedStatement query = connection.prepareStatement(SQL)) {
            query.setString(1, module);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "which another session held and has released since: migrate again";
                }
                return describe(row, module);
            }
        } catch (SQLException e) {
            return "held by another session (looking it up in pg_stat_activity failed: " + e.getMessage() + "). "
                    + migrating();
        }
    }

    private static String describe(ResultSet row, String module) throws SQLException {
        int pid = row.getInt(1);
        String terminate = "SELECT pg_terminate_backend(" + pid + ")";
        StringBuilder text = new StringBuilder("held by backend ").append(pid).append(" (role ")
                .append(row.getString(2)).append(", application '").append(row.getString(3)).append('\'');
        String state = row.getString(6);
        if (state == null) {
            // pg_stat_activity hides all but these columns of other roles' sessions from roles without the right.
            return text.append("; what it does is hidden from role ").append(row.getString(11))
                    .append(": grant it pg_read_all_stats to see). ").append(migrating())
                    .append(". If that deployer is no longer running, a role allowed to can end the session: ")
                    .append(terminate).toString();
        }
        text.append(", client ").append(client(row.getString(4), (Integer) row.getObject(5)))
                .append(", connected since ").append(time(row.getObject(7, OffsetDateTime.class))).append(')');
        String since = " since " + time(row.getObject(8, OffsetDateTime.class)) + " (" + age(row.getLong(9)) + ")";
        String blockers = row.getString(10);
        switch (state) {
            case "active" -> {
                text.append(", running a statement").append(since);
                if (blockers != null && !blockers.isEmpty()) {
                    return text.append(" that waits for a lock held by backend(s) ").append(blockers)
                            .append(". That deployer is stuck behind those sessions (pg_stat_activity shows what they "
                                    + "run): let them finish or end them, or raise pgdbm.migrate.lock-wait")
                            .toString();
                }
                return text.append(". ").append(migrating()).append(". If that deployer is no longer running (killed, "
                        + "its host gone), its statement may run on to its end: end the session with ")
                        .append(terminate).append(" and migrate again").toString();
            }
            case "idle", "idle in transaction", "idle in transaction (aborted)" -> {
                text.append(", ").append(state.replace("in transaction", "in a transaction")).append(since);
                if (row.getLong(9) < IDLE_LOOKS_STUCK.toMillis()) {
                    return text.append(" between two statements. ").append(migrating()).toString();
                }
                return text.append(": it holds the lock but runs nothing, so it looks stuck (a deployer whose process "
                        + "hangs, or a pooled connection that kept the lock). If no deployer of module ")
                        .append(module).append(" is running, end that session with ").append(terminate)
                        .append(" and migrate again; otherwise let it finish, or raise pgdbm.migrate.lock-wait")
                        .toString();
            }
            default -> {
                return text.append(", ").append(state).append(since).append(". ").append(migrating()).toString();
            }
        }
    }

    private static String migrating() {
        return "Another deployer is migrating it: let it finish, or raise pgdbm.migrate.lock-wait";
    }

    private static String client(String address, Integer port) {
        if (address == null) {
            // No address: a Unix-domain socket (port -1), or a process without a client.
            return port != null && port == -1 ? "local socket" : "none";
        }
        return (address.contains(":") ? "[" + address + "]" : address) + (port != null ? ":" + port : "");
    }

    private static String time(OffsetDateTime time) {
        return time == null ? "unknown" : TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** Rounded for a person: {@code 850ms}, {@code 31s}, {@code 3m 2s}, {@code 5h 12m}. */
    static String age(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + "ms";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds / 60 % 60 + "m";
    }
}
