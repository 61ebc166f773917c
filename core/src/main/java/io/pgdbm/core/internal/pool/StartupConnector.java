package io.pgdbm.core.internal.pool;

import io.pgdbm.ConnectionException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Durations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the server at start-up: connects, and on a failure that waiting can heal (refused, unreachable, starting
 * up, too many clients) tries again after an exponential backoff. Failures that waiting cannot heal (authentication,
 * a missing database, a certificate the client rejects) fail at once. Internal.
 */
final class StartupConnector {

    private static final Logger LOG = LoggerFactory.getLogger(StartupConnector.class);

    private StartupConnector() {
    }

    static void awaitServer(DatabaseConfig config, JdbcUrl url, String jdbcUrl, Properties driverProperties) {
        Properties properties = new Properties();
        properties.putAll(driverProperties);
        config.username().ifPresent(user -> properties.setProperty("user", user));
        config.password().ifPresent(password -> properties.setProperty("password", password));
        Driver driver = new Driver();
        String pool = "pgdbm-" + config.name();
        String who = config.username().map(user -> " as " + user).orElse("");
        long started = System.nanoTime();
        Duration backoff = config.connectBackoff();
        List<SQLException> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= config.connectAttempts(); attempt++) {
            try (Connection connection = driver.connect(jdbcUrl, properties)) {
                if (attempt > 1) {
                    LOG.info("{} - connected to {} on attempt {}", pool, url.target(), attempt);
                }
                return;
            } catch (SQLException e) {
                String permanent = permanentReason(e, config);
                if (permanent != null) {
                    ConnectionException failure = new ConnectionException(pool + " - could not connect to "
                            + url.target() + who + ": " + e.getMessage() + " [SQLState " + e.getSQLState()
                            + "]. Not retried: " + permanent, attempt, e.getSQLState(), e);
                    failures.forEach(failure::addSuppressed);
                    throw failure;
                }
                failures.add(e);
                if (attempt == config.connectAttempts()) {
                    break;
                }
                LOG.warn("{} - connection attempt {} of {} to {} failed ({}); retrying in {}", pool, attempt,
                        config.connectAttempts(), url.target(), e.getMessage(), Durations.format(backoff));
                sleep(backoff, pool, url);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(config.connectMaxBackoff()) > 0) {
                    backoff = config.connectMaxBackoff();
                }
            }
        }
        SQLException last = failures.get(failures.size() - 1);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        ConnectionException failure = new ConnectionException(pool + " - could not connect to " + url.target() + who
                + " (host " + url.firstHost() + ", port " + url.firstPort() + ", database " + url.database() + ") after "
                + failures.size() + (failures.size() == 1 ? " attempt" : " attempts") + " over " + elapsedMillis
                + "ms: " + last.getMessage() + " Check that PostgreSQL is running and accepts TCP/IP connections at "
                + "that address (" + ConfigKey.DATASOURCE_URL.key() + "); to wait longer for it at start-up, raise "
                + ConfigKey.CONNECT_ATTEMPTS.key() + " (now " + config.connectAttempts() + ") or "
                + ConfigKey.CONNECT_BACKOFF.key() + " (now " + Durations.format(config.connectBackoff()) + ").",
                failures.size(), last.getSQLState(), last);
        for (int i = 0; i < failures.size() - 1; i++) {
            failure.addSuppressed(failures.get(i));
        }
        throw failure;
    }

    /** Why retrying cannot help, or {@code null} when it might. */
    private static String permanentReason(SQLException e, DatabaseConfig config) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28")) {
            return "authentication and authorisation failures do not heal by waiting; check "
                    + ConfigKey.DATASOURCE_USERNAME.key() + " and " + ConfigKey.DATASOURCE_PASSWORD.key()
                    + ", the role's LOGIN attribute, and the server's pg_hba.conf";
        }
        if (state.equals("3D000")) {
            return "the database does not exist; check the database name in " + ConfigKey.DATASOURCE_URL.key()
                    + " or create it";
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        // Match TLS failures by their causes and by pgjdbc's own wording, never by loose words: the message of a
        // refused connection says "Check that the hostname and port are correct", which must stay retryable.
        if (message.contains("could not be verified by hostnameverifier")) {
            return "the server's certificate does not name the host connected to; connect by a host name the "
                    + "certificate lists (" + ConfigKey.DATASOURCE_URL.key() + "), or set " + ConfigKey.SSL_MODE.key()
                    + " to verify-ca (now " + config.sslMode().value() + ") to check the issuer only";
        }
        if (message.contains("does not support ssl")) {
            return "the server does not offer TLS; enable ssl on the server or lower " + ConfigKey.SSL_MODE.key()
                    + " (now " + config.sslMode().value() + ")";
        }
        if (hasCause(e, SSLException.class) || hasCause(e, java.security.GeneralSecurityException.class)
                || message.startsWith("ssl error")) {
            return "TLS failed, which waiting does not change; check that " + ConfigKey.SSL_ROOT_CERT.key() + " (now "
                    + config.sslRootCert().map(Object::toString).orElse("not set") + ") holds the certificate of "
                    + "the CA that signed the server's certificate, and " + ConfigKey.SSL_MODE.key() + " (now "
                    + config.sslMode().value() + ")";
        }
        return null;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static void sleep(Duration backoff, String pool, JdbcUrl url) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(pool + " - interrupted while waiting to retry the connection to "
                    + url.target(), 0, null, e);
        }
    }
}
