package io.pgdbm.core.internal.pool;

import io.pgdbm.core.DatabaseConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The own pool as the migration lock sees it: each connection it hands out has the migration run's own socket timeout
 * instead of the pool's, which is sized for application queries and would cut a long migration (or the wait for
 * another deployer's lock) short. No socket timeout when the run has no statement timeout, since the server then
 * answers whenever the file is done; keep-alive, set on the socket, still notices a dead peer. HikariCP puts the pool's
 * timeout back when the connection returns. Internal.
 */
public final class MigrationDataSource implements DataSource {

    private final DataSource pool;
    private final int networkTimeoutMillis;

    private MigrationDataSource(DataSource pool, int networkTimeoutMillis) {
        this.pool = pool;
        this.networkTimeoutMillis = networkTimeoutMillis;
    }

    /**
     * The DataSource to take migration connections from: {@code pool} itself when pgdbm does not own it (a borrowed
     * pool's connections keep the settings their owner gave them, which pgdbm would have no way to restore).
     *
     * @param ownsPool whether {@code pool} is pgdbm's own HikariCP pool
     * @param statementTimeout the run's statement timeout ({@code pgdbm.migrate.statement-timeout}), zero for none
     * @param lockWait how long the run may wait for the lock, which the server bounds with {@code lock_timeout}
     */
    public static DataSource of(DataSource pool, boolean ownsPool, Duration statementTimeout, Duration lockWait) {
        if (!ownsPool) {
            return pool;
        }
        return new MigrationDataSource(pool, networkTimeoutMillis(statementTimeout, lockWait));
    }

    /**
     * Zero (none) without a statement timeout; else the longest the server may take to answer (the statement timeout,
     * or the lock wait while the lock is awaited) plus the same margin as the pool's derived socket timeout.
     */
    static int networkTimeoutMillis(Duration statementTimeout, Duration lockWait) {
        if (statementTimeout.isZero()) {
            return 0;
        }
        Duration longest = statementTimeout.compareTo(lockWait) >= 0 ? statementTimeout : lockWait;
        long millis = longest.plus(DatabaseConfig.SOCKET_TIMEOUT_MARGIN).toMillis();
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return withMigrationTimeout(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return withMigrationTimeout(pool.getConnection(username, password));
    }

    private Connection withMigrationTimeout(Connection connection) throws SQLException {
        try {
            // pgjdbc applies it to the socket at once; the executor is not used by pgjdbc.
            connection.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }
}
