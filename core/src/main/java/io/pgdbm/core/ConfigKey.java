package io.pgdbm.core;

/**
 * The catalogue of every {@code pgdbm.*} setting the standalone engine reads, with its default and meaning: one place
 * from which configuration is parsed ({@link DatabaseConfig.Builder#property(String, String)}), validated and
 * documented. Like pgjdbc's {@code PGProperty}.
 */
public enum ConfigKey {
    DATASOURCE_URL("pgdbm.datasource.url", null,
            "JDBC URL (jdbc:postgresql://host:port/db, or postgresql://user:password@host:port/db); when set, pgdbm "
                    + "owns a HikariCP pool for it"),
    DATASOURCE_USERNAME("pgdbm.datasource.username", null, "user name for that pool"),
    DATASOURCE_PASSWORD("pgdbm.datasource.password", null, "password for that pool; never printed"),
    POOL_MAX_SIZE("pgdbm.pool.max-size", "10", "most connections the own pool opens"),
    POOL_MIN_IDLE("pgdbm.pool.min-idle", "2", "idle connections the own pool keeps open"),
    POOL_ACQUIRE_TIMEOUT("pgdbm.pool.acquire-timeout", "30s",
            "wait for a free connection before failing with the pool's state in the message (at least 250ms)"),
    CONNECT_ATTEMPTS("pgdbm.connect.attempts", "3", "start-up connection attempts before giving up"),
    CONNECT_BACKOFF("pgdbm.connect.backoff", "1s", "wait after the first failed attempt; doubles after each"),
    CONNECT_MAX_BACKOFF("pgdbm.connect.max-backoff", "30s", "longest wait between two attempts"),
    STATEMENT_TIMEOUT("pgdbm.statement-timeout", "60s",
            "server-side statement_timeout on every connection of the own pool (0 turns it off)"),
    LOCK_TIMEOUT("pgdbm.lock-timeout", "5s",
            "server-side lock_timeout on every connection of the own pool (0 turns it off)"),
    IDLE_IN_TRANSACTION_TIMEOUT("pgdbm.idle-in-transaction-timeout", "60s",
            "server-side idle_in_transaction_session_timeout on every connection of the own pool (0 turns it off)"),
    SSL_MODE("pgdbm.ssl.mode", "prefer", "disable, allow, prefer, require, verify-ca or verify-full"),
    SSL_ROOT_CERT("pgdbm.ssl.root-cert", null, "CA certificate file (PEM) that signs the server's certificate"),
    SSL_CERT("pgdbm.ssl.cert", null, "client certificate file, for certificate authentication"),
    SSL_KEY("pgdbm.ssl.key", null, "the client certificate's private key file"),
    APPLICATION_NAME("pgdbm.application-name", "pgdbm",
            "application_name the server shows in pg_stat_activity for the own pool's connections"),
    LOG_VALUES("pgdbm.log-values", "false",
            "show bound values, and the server's error detail that echoes them, in messages and logs");

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The full key, e.g. {@code pgdbm.pool.max-size}. */
    public String key() {
        return key;
    }

    /** The default as written in configuration, or {@code null} when the setting has none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the setting means, one line. */
    public String description() {
        return description;
    }

    /** The key for {@code pgdbm.pool.max-size}-style text, or {@code null} when no setting has that key. */
    public static ConfigKey forKey(String key) {
        for (ConfigKey candidate : values()) {
            if (candidate.key.equals(key)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
