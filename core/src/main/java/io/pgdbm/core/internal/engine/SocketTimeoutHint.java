package io.pgdbm.core.internal.engine;

import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Durations;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

/**
 * What a statement's message adds when the driver gave up waiting for the server (pgjdbc's {@code socketTimeout}): the
 * driver only says "An I/O error occurred while sending to the backend", which hides that no answer came within a
 * limit the user set, and which key sets it.
 */
final class SocketTimeoutHint {

    private final String hint;

    private SocketTimeoutHint(String hint) {
        this.hint = hint;
    }

    /** The hint for an engine's statements: the own pool's key and value, or a borrowed pool's own setting. */
    static SocketTimeoutHint of(DatabaseConfig config, boolean ownsPool) {
        String limit = ownsPool
                ? "the socket timeout (" + ConfigKey.SOCKET_TIMEOUT.key() + ", now "
                        + Durations.format(config.socketTimeout()) + ")"
                : "the socket timeout the DataSource's pool sets (pgjdbc's socketTimeout)";
        String raise = ownsPool
                ? "; if statements are meant to run longer than " + ConfigKey.STATEMENT_TIMEOUT.key() + " (now "
                        + Durations.format(config.statementTimeout()) + "), raise " + ConfigKey.SOCKET_TIMEOUT.key()
                : "";
        return new SocketTimeoutHint("\n  Hint: no answer from the server within " + limit + ", so the driver gave up "
                + "and closed the connection: the network dropped the traffic (a firewall, a NAT timeout, a host that "
                + "died) or the server is stuck. Check the path to the database" + raise);
    }

    /** The hint when {@code failure} is the driver giving up on a silent server, else an empty string. */
    String hint(SQLException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return hint;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return "";
    }
}
