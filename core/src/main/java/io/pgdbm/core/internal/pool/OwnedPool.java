package io.pgdbm.core.internal.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.pgdbm.ConnectionException;
import io.pgdbm.core.DatabaseConfig;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

/** Builds the HikariCP pool pgdbm owns for a {@link DatabaseConfig} with a URL. Internal. */
public final class OwnedPool {

    /** URL parameters that pgdbm sets as driver properties instead, merged with what the URL said. */
    private static final Set<String> MANAGED_PARAMETERS =
            Set.of("user", "password", "sslmode", "options", "ApplicationName", "sslrootcert", "sslcert", "sslkey");

    private OwnedPool() {
    }

    /**
     * Connects (retrying as configured), then starts the pool.
     *
     * @throws ConnectionException when the server cannot be reached or refuses the login
     */
    public static HikariDataSource start(DatabaseConfig config) {
        JdbcUrl url = JdbcUrl.parse(config.url().orElseThrow());
        String jdbcUrl = url.toJdbcUrl(MANAGED_PARAMETERS);
        Properties properties = driverProperties(config, url);
        StartupConnector.awaitServer(config, url, jdbcUrl, properties);

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("pgdbm-" + config.name());
        hikari.setDriverClassName("org.postgresql.Driver");
        hikari.setJdbcUrl(jdbcUrl);
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        hikari.setDataSourceProperties(properties);
        hikari.setMaximumPoolSize(config.poolMaxSize());
        hikari.setMinimumIdle(config.poolMinIdle());
        hikari.setConnectionTimeout(config.acquireTimeout().toMillis());
        hikari.setLeakDetectionThreshold(config.leakDetectionThreshold().toMillis());
        // The server answered moments ago; if the pool's own first connection fails, fail now rather than later.
        hikari.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConnectionException("pgdbm-" + config.name() + " - the pool could not open its first "
                    + "connection to " + url.target() + ": " + cause.getMessage(), 1,
                    cause instanceof SQLException sql ? sql.getSQLState() : null, cause);
        }
    }

    /**
     * The driver properties of every connection of the own pool. The timeouts travel as startup options
     * ({@code -c statement_timeout=...}), which become the session's defaults: unlike a {@code SET} run after
     * connecting, they survive {@code RESET ALL} and {@code DISCARD ALL} when a pool resets a connection.
     *
     * <p>The server's timeouts cannot help when the network drops traffic silently (a firewall, a NAT that forgot the
     * connection, a host that died): the answer never comes, and without a limit on the client a call would wait for
     * it forever. So every connection also gets pgjdbc's {@code socketTimeout} (how long a read waits for the server's
     * next bytes) and keep-alive probes that notice a dead peer within about a minute. The URL's own
     * {@code socketTimeout}, {@code tcpKeepAlive} or {@code socketFactory} win: pgjdbc reads URL parameters last.
     */
    static Properties driverProperties(DatabaseConfig config, JdbcUrl url) {
        Properties properties = new Properties();
        StringBuilder options = new StringBuilder()
                .append("-c statement_timeout=").append(config.statementTimeout().toMillis())
                .append(" -c lock_timeout=").append(config.lockTimeout().toMillis())
                .append(" -c idle_in_transaction_session_timeout=")
                .append(config.idleInTransactionTimeout().toMillis());
        String urlOptions = url.parameters().get("options");
        if (urlOptions != null && !urlOptions.isBlank()) {
            // Later -c settings win, so options written in the URL override pgdbm's defaults.
            options.append(' ').append(urlOptions);
        }
        properties.setProperty("options", options.toString());
        properties.setProperty("ApplicationName", config.applicationName());
        properties.setProperty("reWriteBatchedInserts", "true");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", Long.toString(config.socketTimeout().toSeconds()));
        if (!url.parameters().containsKey("socketFactory") && keepAliveFactoryLoads()) {
            properties.setProperty("socketFactory", KeepAliveSocketFactory.class.getName());
        }
        // Without log-values the server's detail line (which echoes values: "Key (email)=(...)") stays out of
        // the driver's exception messages too.
        properties.setProperty("logServerErrorDetail", Boolean.toString(config.logValues()));
        properties.setProperty("sslmode", config.sslMode().value());
        config.sslRootCert().ifPresent(path -> properties.setProperty("sslrootcert", path.toString()));
        config.sslCert().ifPresent(path -> properties.setProperty("sslcert", path.toString()));
        config.sslKey().ifPresent(path -> properties.setProperty("sslkey", path.toString()));
        return properties;
    }

    /**
     * Whether pgjdbc can load the keep-alive socket factory: it looks the name up from its own class loader, which in
     * an application server may not see pgdbm's classes. Without the factory the kernel's keep-alive timings apply.
     */
    private static boolean keepAliveFactoryLoads() {
        try {
            Class.forName(KeepAliveSocketFactory.class.getName(), false, org.postgresql.Driver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
