package io.pgdbm.core.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server notice, while a migration statement runs, that the deployer on the other end is gone, so that a
 * killed deployer frees the migration lock within about a second.
 *
 * <p>Why: PostgreSQL reads from a client only between statements. A deployer killed while its statement runs (a
 * {@code pg_sleep}, a long backfill) leaves a backend that runs that statement to its end and only then finds the
 * socket closed, holding the session's advisory lock (and the file's open transaction) all that time, so the next
 * deployer waits hours for a dead one. {@code client_connection_check_interval} (PostgreSQL 14+) makes the backend
 * poll its socket while it works: when the client has closed it, the statement is cancelled, the transaction rolled
 * back, the session ended, and its locks freed. The lock and every statement of a run share one connection, the
 * lock's, so one session setting covers both (a deployer killed while it waits for the lock frees its backend too).
 *
 * <p>The setting is a session's ({@code SET}, not {@code SET LOCAL}: the lock outlives each file's transaction, and
 * files marked no-transaction run in none), so it is put back when the run ends, whether the pool is pgdbm's own or a
 * container's: the connection serves application queries next, and the lock's other settings are reset there too. A
 * value the session had before is left alone when it checks at least as often. On a server before 14, or one that
 * refuses the setting (a platform that cannot poll for a closed socket, a managed service that pins it at 0), the run
 * goes on without it, as before.
 *
 * <p>It notices a closed socket, which is what a killed process leaves. A deployer host that vanishes without closing
 * its sockets (power cut, network gone) is noticed only once TCP keepalives give up on it.
 */
final class LostClientCheck {

    /** How often the backend of a migration run checks that its client is still there. */
    static final int INTERVAL_MILLIS = 1000;

    static final String SETTING = "client_connection_check_interval";

    private static final Logger LOG = LoggerFactory.getLogger(LostClientCheck.class);

    /** The session was left as it was: nothing to put back. */
    private static final LostClientCheck UNCHANGED = new LostClientCheck(null);

    private final String previousSessionValue;

    private LostClientCheck(String previousSessionValue) {
        this.previousSessionValue = previousSessionValue;
    }

    /**
     * Turns the check on for the connection's session where the server supports it; never fails the run: without the
     * check, a killed deployer's lock is freed when its statement ends, as it always was.
     *
     * @param connection in auto-commit mode, so that a refused setting aborts no transaction
     */
    static LostClientCheck enable(Connection connection, String module) {
        // One round trip. Before PostgreSQL 14 pg_settings has no row for it (and the version says so too); its
        // columns hold the values from before the set_config in the same row, because a function scan (pg_settings
        // is one) reads all its rows first. A session already checking at least as often is left alone.
        String sql = "SELECT current_setting('server_version_num')::int, s.setting, s.source, "
                + "CASE WHEN current_setting('server_version_num')::int >= 140000 "
                + "AND (s.setting::int = 0 OR s.setting::int > " + INTERVAL_MILLIS + ") "
                + "THEN set_config(s.name, '" + INTERVAL_MILLIS + "', false) END "
                + "FROM (VALUES (1)) AS one (x) LEFT JOIN pg_settings s ON s.name = '" + SETTING + "'";
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            if (row.getString(4) == null) {
                LOG.debug("{} - {} left as it is (server_version_num {}, value {})", module, SETTING, row.getInt(1),
                        row.getString(2));
                return UNCHANGED;
            }
            // A value of the session's own (an earlier SET) must be set again; any other (server, role, database,
            // connection options) is what RESET returns to.
            return new LostClientCheck("session".equals(row.getString(3)) ? row.getString(2) : "");
        } catch (SQLException e) {
            // Refused where the platform cannot poll for a closed socket (Windows) or a managed service pins it at 0.
            LOG.info("{} - could not set {} ({}); a deployer killed during a statement keeps the migration lock until "
                    + "that statement ends", module, SETTING, e.getMessage());
            return UNCHANGED;
        }
    }

    /** Puts the session's setting back as it was; quiet, as every clean-up step of the lock. */
    void restore(Connection connection, String module) {
        if (previousSessionValue == null) {
            return;
        }
        try (PreparedStatement restore = connection.prepareStatement(previousSessionValue.isEmpty()
                ? "RESET " + SETTING : "SELECT set_config('" + SETTING + "', ?, false)")) {
            if (!previousSessionValue.isEmpty()) {
                restore.setString(1, previousSessionValue);
            }
            restore.execute();
        } catch (SQLException e) {
            LOG.warn("{} - putting {} back failed: {}", module, SETTING, e.getMessage());
        }
    }
}
