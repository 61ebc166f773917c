package io.pgdbm.core;

import io.pgdbm.ConfigurationException;
import java.time.Duration;

/**
 * The catalogue of every {@code pgdbm.*} setting the standalone engine reads, with its default and meaning: one place
 * from which configuration is parsed, validated and documented. Like pgjdbc's {@code PGProperty}. Each key has a
 * {@link #scope() scope}: datasource settings are read by {@link DatabaseConfig.Builder#property(String, String)},
 * migration settings by {@link io.pgdbm.core.migration.MigrationOptions#fromProperties(java.util.Map)}, and container
 * settings by the CDI extension. Keys with {@code "<name>"} in them exist once per module or datasource.
 */
public enum ConfigKey {
    DATASOURCE_URL("pgdbm.datasource.url", null,
            "JDBC URL (jdbc:postgresql://host:port/db, or postgresql://user:password@host:port/db); when set, pgdbm "
                    + "owns a HikariCP pool for it"),
    DATASOURCE_USERNAME("pgdbm.datasource.username", null, "user name for that pool"),
    DATASOURCE_PASSWORD("pgdbm.datasource.password", null, "password for that pool; never printed"),
    DATASOURCE_JNDI("pgdbm.datasource.jndi", null,
            "use the container's DataSource at this JNDI name (Payara, Open Liberty)", Scope.CONTAINER),
    DATASOURCE_BEAN("pgdbm.datasource.bean", null,
            "use the DataSource CDI bean with this @Named name (Helidon, or an application's own producer)",
            Scope.CONTAINER),
    POOL_MAX_SIZE("pgdbm.pool.max-size", "10", "most connections the own pool opens"),
    POOL_MIN_IDLE("pgdbm.pool.min-idle", "2", "idle connections the own pool keeps open"),
    POOL_ACQUIRE_TIMEOUT("pgdbm.pool.acquire-timeout", "30s",
            "wait for a free connection before failing with the pool's state in the message (at least 250ms)"),
    POOL_LEAK_DETECTION_THRESHOLD("pgdbm.pool.leak-detection-threshold", "0",
            "HikariCP's leakDetectionThreshold: a connection held longer is logged at WARN with the stack that took "
                    + "it (0: off; else 2s to 30m)"),
    CONNECT_ATTEMPTS("pgdbm.connect.attempts", "3", "start-up connection attempts before giving up"),
    CONNECT_BACKOFF("pgdbm.connect.backoff", "1s", "wait after the first failed attempt; doubles after each"),
    CONNECT_MAX_BACKOFF("pgdbm.connect.max-backoff", "30s", "longest wait between two attempts"),
    STATEMENT_TIMEOUT("pgdbm.statement-timeout", "60s",
            "server-side statement_timeout on every connection of the own pool (0 turns it off)"),
    LOCK_TIMEOUT("pgdbm.lock-timeout", "5s",
            "server-side lock_timeout on every connection of the own pool (0 turns it off)"),
    IDLE_IN_TRANSACTION_TIMEOUT("pgdbm.idle-in-transaction-timeout", "60s",
            "server-side idle_in_transaction_session_timeout on every connection of the own pool (0 turns it off)"),
    SOCKET_TIMEOUT("pgdbm.socket-timeout", null,
            "client-side limit on waiting for the server's answer, in whole seconds (pgjdbc's socketTimeout); unset: "
                    + "pgdbm.statement-timeout + 10s, or none when that is 0; 0 turns it off; a socketTimeout in the "
                    + "URL takes its place"),
    SSL_MODE("pgdbm.ssl.mode", "prefer", "disable, allow, prefer, require, verify-ca or verify-full"),
    SSL_ROOT_CERT("pgdbm.ssl.root-cert", null, "CA certificate file (PEM) that signs the server's certificate"),
    SSL_CERT("pgdbm.ssl.cert", null, "client certificate file, for certificate authentication"),
    SSL_KEY("pgdbm.ssl.key", null, "the client certificate's private key file"),
    APPLICATION_NAME("pgdbm.application-name", "pgdbm",
            "application_name the server shows in pg_stat_activity for the own pool's connections"),
    LOG_VALUES("pgdbm.log-values", "false",
            "show bound values, and the server's error detail that echoes them, in messages and logs"),
    SLOW_QUERY_THRESHOLD("pgdbm.slow-query-threshold", "500ms",
            "statements at least this slow are logged at WARN, counted and kept among the recent slow queries (0: off)"),
    MIGRATE_AT_START("pgdbm.migrate.at-start", "true",
            "apply pending migrations of every module when the container starts", Scope.CONTAINER),
    MIGRATE_LOCK_WAIT("pgdbm.migrate.lock-wait", "10m",
            "how long a deployer waits for another deployer's migration lock of the same module (0: fail at once)"),
    MIGRATE_STATEMENT_TIMEOUT("pgdbm.migrate.statement-timeout", "0",
            "statement_timeout on the migration connection (0: none; pgdbm.statement-timeout does not apply)"),
    MIGRATE_ALLOW_OUT_OF_ORDER("pgdbm.migrate.allow-out-of-order", "false",
            "apply a pending file older than the newest applied one instead of failing"),
    MIGRATE_ALLOW_MISSING("pgdbm.migrate.allow-missing", "false",
            "go on when an applied file is no longer in the migrations folder"),
    MIGRATE_ALLOW_CHANGED("pgdbm.migrate.allow-changed", "false",
            "go on when an applied file has changed since (prefer repair, which records the new checksum)"),
    METRICS_ENABLED("pgdbm.metrics.enabled", "true",
            "record metrics (MicroProfile Metrics, else Micrometer) when the container has a registry",
            Scope.CONTAINER),
    DATASOURCE_NAMED("pgdbm.datasource.\"<name>\".*", null,
            "url, username, password, jndi or bean (as above) of the datasource <name>, for modules declared with "
                    + "@DatabaseModule(datasource = \"<name>\"); pool settings are shared", Scope.CONTAINER),
    MODULE_SCHEMA("pgdbm.module.\"<name>\".schema", null,
            "the schema of module <name>, instead of its annotation's (the host renames a library's schema)",
            Scope.CONTAINER),
    MODULE_MIGRATE("pgdbm.module.\"<name>\".migrate", "true",
            "false: do not migrate module <name> at start-up", Scope.CONTAINER),
    MODULE_MIGRATIONS("pgdbm.module.\"<name>\".migrations", null,
            "the command line's migrations folder of module <name>, relative to the properties file (the extension "
                    + "takes the annotation's)", Scope.COMMAND_LINE),
    MODULE_DEPENDS_ON("pgdbm.module.\"<name>\".depends-on", null,
            "the command line's modules that module <name> migrates after, comma-separated (the extension takes the "
                    + "annotation's)", Scope.COMMAND_LINE),
    TEST_URL("pgdbm.test.url", null,
            "pgdbm-testing: the admin JDBC URL of a server to create test databases on, instead of an embedded one "
                    + "(also PGDBM_TEST_URL)", Scope.TESTING);

    /** Who reads a setting. */
    public enum Scope {
        /** {@link DatabaseConfig}: the datasource, its pool, connections, timeouts and TLS. */
        DATASOURCE,
        /** {@link io.pgdbm.core.migration.MigrationOptions}: how a migration run behaves. */
        MIGRATION,
        /** The container integration ({@code pgdbm-extension}): where DataSources come from, what runs at start-up. */
        CONTAINER,
        /** The command line ({@code pgdbm-cli}): the project's modules. */
        COMMAND_LINE,
        /** The testing module ({@code pgdbm-testing}). */
        TESTING
    }

    private final String key;
    private final String defaultValue;
    private final String description;
    private final Scope scope;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.scope = key.startsWith("pgdbm.migrate.") ? Scope.MIGRATION : Scope.DATASOURCE;
    }

    ConfigKey(String key, String defaultValue, String description, Scope scope) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.scope = scope;
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

    /** Who reads this setting. */
    public Scope scope() {
        return scope;
    }

    /**
     * The key for one module or datasource, for keys that hold {@code "<name>"}: {@code pgdbm.module."users".schema}.
     *
     * @throws IllegalStateException for a key without a name in it
     */
    public String forName(String name) {
        if (!key.contains("<name>")) {
            throw new IllegalStateException(key + " is not a per-name setting");
        }
        return key.replace("<name>", name);
    }

    /**
     * Parses a whole number given for this setting.
     *
     * @throws ConfigurationException naming the key when the text is not one
     */
    public int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw invalid("'" + text + "'", "is not a whole number");
        }
    }

    /**
     * Parses a duration given for this setting: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, ISO-8601
     * ({@code PT30S}), or {@code 0}.
     *
     * @throws ConfigurationException naming the key when the text is not one
     */
    public Duration parseDuration(String text) {
        try {
            return Durations.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, key + ": " + e.getMessage());
        }
    }

    /**
     * Parses {@code true} or {@code false} (any case) given for this setting.
     *
     * @throws ConfigurationException naming the key for anything else
     */
    public boolean parseBoolean(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return true;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid("'" + text + "'", "must be true or false");
    }

    /** The error for a value of this setting that breaks a rule: {@code key = value rule}. */
    public ConfigurationException invalid(Object value, String rule) {
        return new ConfigurationException(key, key + " = " + value + " " + rule);
    }

    @Override
    public String toString() {
        return key;
    }
}
