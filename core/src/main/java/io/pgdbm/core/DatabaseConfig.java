package io.pgdbm.core;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.internal.pool.JdbcUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything pgdbm needs to know about one datasource: where it is, how big its pool may grow, how long to wait, which
 * guardrails to set on the server, how to speak TLS. Immutable; made by {@link #builder()}, validated by
 * {@link Builder#build()}: a bad or contradictory value fails there with a {@link ConfigurationException} that names
 * the key, never later on first use.
 *
 * <pre>{@code
 * DatabaseConfig config = DatabaseConfig.builder()
 *         .url("jdbc:postgresql://localhost:5432/app")
 *         .username("app")
 *         .password(System.getenv("APP_DB_PASSWORD"))
 *         .poolMaxSize(20)
 *         .statementTimeout(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>The same settings can be given by their {@code pgdbm.*} keys ({@link Builder#property(String, String)},
 * {@link Builder#properties(Map)}); {@link ConfigKey} lists them with their defaults.
 */
public final class DatabaseConfig {

    /** The name of the datasource when none is given. */
    public static final String DEFAULT_NAME = "default";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");
    private static final String DEFAULT_APPLICATION_NAME = "pgdbm";
    private static final Duration MIN_ACQUIRE_TIMEOUT = Duration.ofMillis(250);
    private static final long MAX_SERVER_TIMEOUT_MILLIS = Integer.MAX_VALUE;
    /**
     * What the derived socket timeout adds to the statement timeout: room for the server to cancel the statement and
     * send its error, and for a slow network, so that the socket timeout only fires when the answer is not coming.
     */
    public static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(10);
    /** HikariCP refuses (and silently turns off) a leak detection threshold below this. */
    private static final Duration MIN_LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(2);
    /** HikariCP's default maxLifetime, which pgdbm keeps: a longer threshold is turned off by HikariCP. */
    private static final Duration MAX_LEAK_DETECTION_THRESHOLD = Duration.ofMinutes(30);
    /** pgjdbc's socketTimeout is a whole number of seconds, an int. */
    private static final long MAX_SOCKET_TIMEOUT_SECONDS = Integer.MAX_VALUE;

    private final String name;
    private final String url;
    private final String username;
    private final String password;
    private final int poolMaxSize;
    private final int poolMinIdle;
    private final Duration acquireTimeout;
    private final Duration leakDetectionThreshold;
    private final int connectAttempts;
    private final Duration connectBackoff;
    private final Duration connectMaxBackoff;
    private final Duration statementTimeout;
    private final Duration lockTimeout;
    private final Duration idleInTransactionTimeout;
    /** As set by key or method, or {@code null} when derived: kept so that {@link #toBuilder()} derives again. */
    private final Duration socketTimeoutSetting;
    private final Duration socketTimeout;
    private final SslMode sslMode;
    private final Path sslRootCert;
    private final Path sslCert;
    private final Path sslKey;
    private final String applicationName;
    private final boolean logValues;
    private final Duration slowQueryThreshold;

    private DatabaseConfig(Builder builder, SslMode effectiveSslMode, String effectiveUser, String effectivePassword,
            String effectiveApplicationName, Duration effectiveSocketTimeout) {
        this.name = builder.name;
        this.url = builder.url;
        this.username = effectiveUser;
        this.password = effectivePassword;
        this.poolMaxSize = builder.poolMaxSize;
        this.poolMinIdle = builder.poolMinIdle;
        this.acquireTimeout = builder.acquireTimeout;
        this.leakDetectionThreshold = builder.leakDetectionThreshold;
        this.connectAttempts = builder.connectAttempts;
        this.connectBackoff = builder.connectBackoff;
        this.connectMaxBackoff = builder.connectMaxBackoff;
        this.statementTimeout = builder.statementTimeout;
        this.lockTimeout = builder.lockTimeout;
        this.idleInTransactionTimeout = builder.idleInTransactionTimeout;
        this.socketTimeoutSetting = builder.socketTimeout;
        this.socketTimeout = effectiveSocketTimeout;
        this.sslMode = effectiveSslMode;
        this.sslRootCert = builder.sslRootCert;
        this.sslCert = builder.sslCert;
        this.sslKey = builder.sslKey;
        this.applicationName = effectiveApplicationName;
        this.logValues = builder.logValues;
        this.slowQueryThreshold = builder.slowQueryThreshold;
    }

    /** A builder holding every default of {@link ConfigKey}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name;
        builder.url = url;
        builder.username = username;
        builder.password = password;
        builder.poolMaxSize = poolMaxSize;
        builder.poolMinIdle = poolMinIdle;
        builder.acquireTimeout = acquireTimeout;
        builder.leakDetectionThreshold = leakDetectionThreshold;
        builder.connectAttempts = connectAttempts;
        builder.connectBackoff = connectBackoff;
        builder.connectMaxBackoff = connectMaxBackoff;
        builder.statementTimeout = statementTimeout;
        builder.lockTimeout = lockTimeout;
        builder.idleInTransactionTimeout = idleInTransactionTimeout;
        builder.socketTimeout = socketTimeoutSetting;
        builder.sslMode = sslMode;
        builder.sslRootCert = sslRootCert;
        builder.sslCert = sslCert;
        builder.sslKey = sslKey;
        builder.applicationName = applicationName;
        builder.logValues = logValues;
        builder.slowQueryThreshold = slowQueryThreshold;
        return builder;
    }

    /** The datasource's name ({@code default} unless set); the own pool is called {@code pgdbm-<name>}. */
    public String name() {
        return name;
    }

    /** The URL as configured, or empty when pgdbm borrows a DataSource instead of owning a pool. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public int poolMaxSize() {
        return poolMaxSize;
    }

    public int poolMinIdle() {
        return poolMinIdle;
    }

    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /** How long a connection may be out of the own pool before HikariCP logs it as a leak; zero: never. */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public int connectAttempts() {
        return connectAttempts;
    }

    public Duration connectBackoff() {
        return connectBackoff;
    }

    public Duration connectMaxBackoff() {
        return connectMaxBackoff;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration idleInTransactionTimeout() {
        return idleInTransactionTimeout;
    }

    /**
     * How long a connection of the own pool waits for the server's next bytes before it gives up on the connection
     * (pgjdbc's {@code socketTimeout}); zero: forever. As set, or else the URL's {@code socketTimeout}, or else
     * {@link #statementTimeout()} plus {@link #SOCKET_TIMEOUT_MARGIN} rounded up to whole seconds (zero when the
     * statement timeout is zero).
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    public Optional<Path> sslRootCert() {
        return Optional.ofNullable(sslRootCert);
    }

    public Optional<Path> sslCert() {
        return Optional.ofNullable(sslCert);
    }

    public Optional<Path> sslKey() {
        return Optional.ofNullable(sslKey);
    }

    public String applicationName() {
        return applicationName;
    }

    /** Whether bound values and the server's error detail may appear in messages and logs. */
    public boolean logValues() {
        return logValues;
    }

    /** Statements that take at least this long are logged and kept among the slow queries; zero: none. */
    public Duration slowQueryThreshold() {
        return slowQueryThreshold;
    }

    /** Every setting except the password. */
    @Override
    public String toString() {
        return "DatabaseConfig[name=" + name + ", url=" + (url == null ? null : JdbcUrl.redact(url))
                + ", username=" + username + ", password=" + (password == null ? null : "****")
                + ", poolMaxSize=" + poolMaxSize + ", poolMinIdle=" + poolMinIdle
                + ", acquireTimeout=" + Durations.format(acquireTimeout)
                + ", leakDetectionThreshold=" + Durations.format(leakDetectionThreshold)
                + ", connectAttempts=" + connectAttempts
                + ", connectBackoff=" + Durations.format(connectBackoff)
                + ", connectMaxBackoff=" + Durations.format(connectMaxBackoff)
                + ", statementTimeout=" + Durations.format(statementTimeout)
                + ", lockTimeout=" + Durations.format(lockTimeout)
                + ", idleInTransactionTimeout=" + Durations.format(idleInTransactionTimeout)
                + ", socketTimeout=" + Durations.format(socketTimeout)
                + ", sslMode=" + sslMode.value() + ", sslRootCert=" + sslRootCert + ", sslCert=" + sslCert
                + ", sslKey=" + sslKey + ", applicationName=" + applicationName + ", logValues=" + logValues
                + ", slowQueryThreshold=" + Durations.format(slowQueryThreshold) + "]";
    }

    /** Collects settings; {@link #build()} validates them all at once. Not thread-safe. */
    public static final class Builder {

        private String name = DEFAULT_NAME;
        private String url;
        private String username;
        private String password;
        private int poolMaxSize = 10;
        private int poolMinIdle = 2;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration leakDetectionThreshold = Duration.ZERO;
        private int connectAttempts = 3;
        private Duration connectBackoff = Duration.ofSeconds(1);
        private Duration connectMaxBackoff = Duration.ofSeconds(30);
        private Duration statementTimeout = Duration.ofSeconds(60);
        private Duration lockTimeout = Duration.ofSeconds(5);
        private Duration idleInTransactionTimeout = Duration.ofSeconds(60);
        private Duration socketTimeout;
        private SslMode sslMode;
        private Path sslRootCert;
        private Path sslCert;
        private Path sslKey;
        private String applicationName;
        private boolean logValues;
        private Duration slowQueryThreshold = Duration.ofMillis(500);

        private Builder() {
        }

        /** The datasource's name, used in pool names and messages ({@code default}). */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /** {@code pgdbm.datasource.url}. */
        public Builder url(String value) {
            this.url = value;
            return this;
        }

        /** {@code pgdbm.datasource.username}. */
        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /** {@code pgdbm.datasource.password}. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** {@code pgdbm.pool.max-size}. */
        public Builder poolMaxSize(int value) {
            this.poolMaxSize = value;
            return this;
        }

        /** {@code pgdbm.pool.min-idle}. */
        public Builder poolMinIdle(int value) {
            this.poolMinIdle = value;
            return this;
        }

        /** {@code pgdbm.pool.acquire-timeout}. */
        public Builder acquireTimeout(Duration value) {
            this.acquireTimeout = Objects.requireNonNull(value, "acquireTimeout");
            return this;
        }

        /** {@code pgdbm.pool.leak-detection-threshold}; {@link Duration#ZERO} turns it off. */
        public Builder leakDetectionThreshold(Duration value) {
            this.leakDetectionThreshold = Objects.requireNonNull(value, "leakDetectionThreshold");
            return this;
        }

        /** {@code pgdbm.connect.attempts}. */
        public Builder connectAttempts(int value) {
            this.connectAttempts = value;
            return this;
        }

        /** {@code pgdbm.connect.backoff}. */
        public Builder connectBackoff(Duration value) {
            this.connectBackoff = Objects.requireNonNull(value, "connectBackoff");
            return this;
        }

        /** {@code pgdbm.connect.max-backoff}. */
        public Builder connectMaxBackoff(Duration value) {
            this.connectMaxBackoff = Objects.requireNonNull(value, "connectMaxBackoff");
            return this;
        }

        /** {@code pgdbm.statement-timeout}; {@link Duration#ZERO} turns it off. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Objects.requireNonNull(value, "statementTimeout");
            return this;
        }

        /** {@code pgdbm.lock-timeout}; {@link Duration#ZERO} turns it off. */
        public Builder lockTimeout(Duration value) {
            this.lockTimeout = Objects.requireNonNull(value, "lockTimeout");
            return this;
        }

        /** {@code pgdbm.idle-in-transaction-timeout}; {@link Duration#ZERO} turns it off. */
        public Builder idleInTransactionTimeout(Duration value) {
            this.idleInTransactionTimeout = Objects.requireNonNull(value, "idleInTransactionTimeout");
            return this;
        }

        /**
         * {@code pgdbm.socket-timeout}: whole seconds; {@link Duration#ZERO} turns it off, {@code null} derives it from
         * the statement timeout (see {@link DatabaseConfig#socketTimeout()}).
         */
        public Builder socketTimeout(Duration value) {
            this.socketTimeout = value;
            return this;
        }

        /** {@code pgdbm.ssl.mode}. */
        public Builder sslMode(SslMode value) {
            this.sslMode = Objects.requireNonNull(value, "sslMode");
            return this;
        }

        /** {@code pgdbm.ssl.root-cert}. */
        public Builder sslRootCert(Path value) {
            this.sslRootCert = value;
            return this;
        }

        /** {@code pgdbm.ssl.cert}. */
        public Builder sslCert(Path value) {
            this.sslCert = value;
            return this;
        }

        /** {@code pgdbm.ssl.key}. */
        public Builder sslKey(Path value) {
            this.sslKey = value;
            return this;
        }

        /** {@code pgdbm.application-name}. */
        public Builder applicationName(String value) {
            this.applicationName = Objects.requireNonNull(value, "applicationName");
            return this;
        }

        /** {@code pgdbm.slow-query-threshold}; zero turns the slow-query log off. */
        public Builder slowQueryThreshold(Duration value) {
            this.slowQueryThreshold = Objects.requireNonNull(value, "slowQueryThreshold");
            return this;
        }

        /** {@code pgdbm.log-values}. */
        public Builder logValues(boolean value) {
            this.logValues = value;
            return this;
        }

        /**
         * Sets one setting by its {@code pgdbm.*} key, parsing the text as configuration files write it.
         *
         * @throws ConfigurationException for an unknown key or a value that does not parse, naming the key and what
         *     is allowed
         */
        public Builder property(String key, String value) {
            ConfigKey setting = ConfigKey.forKey(key);
            if (setting == null) {
                throw ConfigKeys.unknown(List.of(new ConfigKeys.Unknown(key, "given to DatabaseConfig.Builder")));
            }
            if (setting.scope() == ConfigKey.Scope.MIGRATION) {
                throw new ConfigurationException(key, key + " is a migration setting, not a datasource one; pass it "
                        + "to MigrationOptions.fromProperties");
            }
            if (setting.scope() != ConfigKey.Scope.DATASOURCE) {
                throw new ConfigurationException(key, key + " is read by " + switch (setting.scope()) {
                    case CONTAINER -> "the CDI extension (pgdbm-extension)";
                    case COMMAND_LINE -> "the command line (pgdbm-cli)";
                    default -> "pgdbm-testing";
                } + ", not by DatabaseConfig");
            }
            if (value == null) {
                throw new ConfigurationException(key, key + " has no value");
            }
            String text = value.trim();
            switch (setting) {
                case DATASOURCE_URL -> url(text);
                case DATASOURCE_USERNAME -> username(text);
                case DATASOURCE_PASSWORD -> password(value);
                case POOL_MAX_SIZE -> poolMaxSize(setting.parseInt(text));
                case POOL_MIN_IDLE -> poolMinIdle(setting.parseInt(text));
                case POOL_ACQUIRE_TIMEOUT -> acquireTimeout(setting.parseDuration(text));
                case POOL_LEAK_DETECTION_THRESHOLD -> leakDetectionThreshold(setting.parseDuration(text));
                case CONNECT_ATTEMPTS -> connectAttempts(setting.parseInt(text));
                case CONNECT_BACKOFF -> connectBackoff(setting.parseDuration(text));
                case CONNECT_MAX_BACKOFF -> connectMaxBackoff(setting.parseDuration(text));
                case STATEMENT_TIMEOUT -> statementTimeout(setting.parseDuration(text));
                case LOCK_TIMEOUT -> lockTimeout(setting.parseDuration(text));
                case IDLE_IN_TRANSACTION_TIMEOUT -> idleInTransactionTimeout(setting.parseDuration(text));
                case SOCKET_TIMEOUT -> socketTimeout(setting.parseDuration(text));
                case SSL_MODE -> {
                    try {
                        sslMode(SslMode.of(text));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigurationException(key, key + ": " + e.getMessage());
                    }
                }
                case SSL_ROOT_CERT -> sslRootCert(Path.of(text));
                case SSL_CERT -> sslCert(Path.of(text));
                case SSL_KEY -> sslKey(Path.of(text));
                case APPLICATION_NAME -> applicationName(text);
                case LOG_VALUES -> logValues(setting.parseBoolean(text));
                case SLOW_QUERY_THRESHOLD -> slowQueryThreshold(setting.parseDuration(text));
                default -> throw new IllegalStateException("unhandled setting " + setting);
            }
            return this;
        }

        /**
         * Sets every datasource key of the map that the catalogue knows. Other keys, migration and container settings
         * among them, are ignored (a map of all an application's settings can be passed), except unknown keys under
         * {@code pgdbm.pool.}, {@code pgdbm.connect.} and {@code pgdbm.ssl.}, which belong to this builder alone: those
         * are misspellings, and fail.
         */
        public Builder properties(Map<String, String> values) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String key = entry.getKey();
                ConfigKey setting = ConfigKey.forKey(key);
                if (setting != null && setting.scope() == ConfigKey.Scope.DATASOURCE) {
                    property(key, entry.getValue());
                } else if (key.startsWith("pgdbm.pool.") || key.startsWith("pgdbm.connect.")
                        || key.startsWith("pgdbm.ssl.")) {
                    property(key, entry.getValue());
                }
            }
            return this;
        }

        /**
         * Validates every setting and returns the immutable configuration.
         *
         * @throws ConfigurationException at the first bad or contradictory value
         */
        public DatabaseConfig build() {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException("name", "Datasource name '" + name + "' is not allowed; use 1 to "
                        + "63 letters, digits, '_', '-' or '.'");
            }
            String effectiveUser = username;
            String effectivePassword = password;
            SslMode effectiveSslMode = sslMode;
            String effectiveApplicationName = applicationName;
            Duration urlSocketTimeout = null;
            if (url != null) {
                JdbcUrl parsed;
                try {
                    parsed = JdbcUrl.parse(url);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(),
                            ConfigKey.DATASOURCE_URL.key() + ": " + e.getMessage());
                }
                effectiveUser = merge(ConfigKey.DATASOURCE_USERNAME, username,
                        firstNonNull(parsed.user(), parsed.parameters().get("user")), false);
                effectivePassword = merge(ConfigKey.DATASOURCE_PASSWORD, password,
                        firstNonNull(parsed.password(), parsed.parameters().get("password")), true);
                String urlSslMode = parsed.parameters().get("sslmode");
                if (urlSslMode != null) {
                    SslMode fromUrl;
                    try {
                        fromUrl = SslMode.of(urlSslMode);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(),
                                ConfigKey.DATASOURCE_URL.key() + ": parameter sslmode: " + e.getMessage());
                    }
                    if (sslMode != null && sslMode != fromUrl) {
                        throw new ConfigurationException(ConfigKey.SSL_MODE.key(), ConfigKey.SSL_MODE.key()
                                + " is " + sslMode.value() + " but " + ConfigKey.DATASOURCE_URL.key()
                                + " says sslmode=" + fromUrl.value() + "; set the mode in one place only");
                    }
                    effectiveSslMode = fromUrl;
                }
                if (parsed.parameters().containsKey("logServerErrorDetail")) {
                    throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(), ConfigKey.DATASOURCE_URL.key()
                            + " sets logServerErrorDetail; pgdbm sets it from " + ConfigKey.LOG_VALUES.key()
                            + " (now " + logValues + "): set that instead");
                }
                sslRootCert = mergePath(ConfigKey.SSL_ROOT_CERT, sslRootCert, parsed.parameters().get("sslrootcert"));
                sslCert = mergePath(ConfigKey.SSL_CERT, sslCert, parsed.parameters().get("sslcert"));
                sslKey = mergePath(ConfigKey.SSL_KEY, sslKey, parsed.parameters().get("sslkey"));
                String urlApplicationName = parsed.parameters().get("ApplicationName");
                if (urlApplicationName != null) {
                    if (applicationName != null && !applicationName.equals(urlApplicationName)) {
                        throw new ConfigurationException(ConfigKey.APPLICATION_NAME.key(),
                                ConfigKey.APPLICATION_NAME.key() + " is " + applicationName + " but "
                                        + ConfigKey.DATASOURCE_URL.key() + " says ApplicationName="
                                        + urlApplicationName + "; set it in one place only");
                    }
                    effectiveApplicationName = urlApplicationName;
                }
                urlSocketTimeout = urlSocketTimeout(parsed.parameters().get("socketTimeout"));
            }
            if (effectiveApplicationName == null) {
                effectiveApplicationName = DEFAULT_APPLICATION_NAME;
            }
            if (effectiveSslMode == null) {
                effectiveSslMode = SslMode.PREFER;
            }
            if (poolMaxSize < 1) {
                throw ConfigKey.POOL_MAX_SIZE.invalid(poolMaxSize, "must be at least 1");
            }
            if (poolMinIdle < 0) {
                throw ConfigKey.POOL_MIN_IDLE.invalid(poolMinIdle, "must be 0 or more");
            }
            if (poolMinIdle > poolMaxSize) {
                throw new ConfigurationException(ConfigKey.POOL_MIN_IDLE.key(), ConfigKey.POOL_MIN_IDLE.key() + " ("
                        + poolMinIdle + ") must not exceed " + ConfigKey.POOL_MAX_SIZE.key() + " (" + poolMaxSize
                        + "); lower the first or raise the second");
            }
            if (acquireTimeout.compareTo(MIN_ACQUIRE_TIMEOUT) < 0) {
                throw ConfigKey.POOL_ACQUIRE_TIMEOUT.invalid(Durations.format(acquireTimeout),
                        "must be at least 250ms (HikariCP's minimum)");
            }
            if (connectAttempts < 1) {
                throw ConfigKey.CONNECT_ATTEMPTS.invalid(connectAttempts, "must be at least 1");
            }
            if (connectBackoff.isNegative()) {
                throw ConfigKey.CONNECT_BACKOFF.invalid(connectBackoff, "must not be negative");
            }
            if (connectMaxBackoff.compareTo(connectBackoff) < 0) {
                throw new ConfigurationException(ConfigKey.CONNECT_MAX_BACKOFF.key(),
                        ConfigKey.CONNECT_MAX_BACKOFF.key() + " (" + Durations.format(connectMaxBackoff)
                                + ") must not be shorter than " + ConfigKey.CONNECT_BACKOFF.key() + " ("
                                + Durations.format(connectBackoff) + ")");
            }
            checkServerTimeout(ConfigKey.STATEMENT_TIMEOUT, statementTimeout);
            checkServerTimeout(ConfigKey.LOCK_TIMEOUT, lockTimeout);
            checkServerTimeout(ConfigKey.IDLE_IN_TRANSACTION_TIMEOUT, idleInTransactionTimeout);
            Duration effectiveSocketTimeout = effectiveSocketTimeout(urlSocketTimeout);
            checkLeakDetectionThreshold();
            if ((sslCert == null) != (sslKey == null)) {
                ConfigKey missing = sslCert == null ? ConfigKey.SSL_CERT : ConfigKey.SSL_KEY;
                ConfigKey given = sslCert == null ? ConfigKey.SSL_KEY : ConfigKey.SSL_CERT;
                throw new ConfigurationException(missing.key(), given.key() + " is set but " + missing.key()
                        + " is not; a client certificate needs both");
            }
            if (effectiveSslMode == SslMode.DISABLE && (sslRootCert != null || sslCert != null)) {
                ConfigKey given = sslRootCert != null ? ConfigKey.SSL_ROOT_CERT : ConfigKey.SSL_CERT;
                throw new ConfigurationException(ConfigKey.SSL_MODE.key(), given.key() + " is set but "
                        + ConfigKey.SSL_MODE.key() + " is disable; remove the certificate or choose another mode ("
                        + SslMode.allowedValues() + ")");
            }
            if (slowQueryThreshold.isNegative()) {
                throw ConfigKey.SLOW_QUERY_THRESHOLD.invalid(Durations.format(slowQueryThreshold),
                        "must not be negative (0 turns the slow-query log off)");
            }
            checkReadable(ConfigKey.SSL_ROOT_CERT, sslRootCert);
            checkReadable(ConfigKey.SSL_CERT, sslCert);
            checkReadable(ConfigKey.SSL_KEY, sslKey);
            if (effectiveApplicationName.isEmpty() || effectiveApplicationName.length() > 63) {
                throw ConfigKey.APPLICATION_NAME.invalid(effectiveApplicationName, "must be 1 to 63 characters");
            }
            return new DatabaseConfig(this, effectiveSslMode, effectiveUser, effectivePassword,
                    effectiveApplicationName, effectiveSocketTimeout);
        }

        /** The URL's {@code socketTimeout} (seconds, as pgjdbc reads it), or {@code null} when it sets none. */
        private static Duration urlSocketTimeout(String text) {
            if (text == null) {
                return null;
            }
            try {
                int seconds = Integer.parseInt(text.trim());
                if (seconds >= 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(), ConfigKey.DATASOURCE_URL.key()
                    + ": parameter socketTimeout=" + text + " is not a whole number of seconds, 0 or more");
        }

        /**
         * The socket timeout the own pool sets: the key's, else the URL's, else the statement timeout plus a margin.
         * A key and a URL that disagree are a contradiction, as for sslmode.
         */
        private Duration effectiveSocketTimeout(Duration fromUrl) {
            ConfigKey key = ConfigKey.SOCKET_TIMEOUT;
            if (socketTimeout != null) {
                if (socketTimeout.isNegative()) {
                    throw key.invalid(Durations.format(socketTimeout), "must not be negative (0 turns it off)");
                }
                if (socketTimeout.getNano() != 0) {
                    throw key.invalid(Durations.format(socketTimeout), "must be whole seconds: pgjdbc's "
                            + "socketTimeout counts seconds");
                }
                if (socketTimeout.getSeconds() > MAX_SOCKET_TIMEOUT_SECONDS) {
                    throw key.invalid(Durations.format(socketTimeout), "must be at most " + MAX_SOCKET_TIMEOUT_SECONDS
                            + "s, pgjdbc's limit");
                }
                if (fromUrl != null && !fromUrl.equals(socketTimeout)) {
                    throw new ConfigurationException(key.key(), key.key() + " is " + Durations.format(socketTimeout)
                            + " but " + ConfigKey.DATASOURCE_URL.key() + " says socketTimeout="
                            + fromUrl.getSeconds() + " (seconds); set it in one place only");
                }
                return socketTimeout;
            }
            if (fromUrl != null) {
                return fromUrl;
            }
            if (statementTimeout.isZero()) {
                return Duration.ZERO;
            }
            Duration derived = statementTimeout.plus(SOCKET_TIMEOUT_MARGIN);
            long seconds = derived.getSeconds() + (derived.getNano() > 0 ? 1 : 0);
            return Duration.ofSeconds(seconds);
        }

        private void checkLeakDetectionThreshold() {
            ConfigKey key = ConfigKey.POOL_LEAK_DETECTION_THRESHOLD;
            if (leakDetectionThreshold.isNegative()) {
                throw key.invalid(Durations.format(leakDetectionThreshold), "must not be negative (0 turns it off)");
            }
            if (!leakDetectionThreshold.isZero() && (leakDetectionThreshold.compareTo(MIN_LEAK_DETECTION_THRESHOLD) < 0
                    || leakDetectionThreshold.compareTo(MAX_LEAK_DETECTION_THRESHOLD) > 0)) {
                throw key.invalid(Durations.format(leakDetectionThreshold), "must be 0 (off) or between 2s and 30m: "
                        + "HikariCP turns a shorter one, or one longer than a connection's 30m lifetime, off");
            }
        }

        private static String merge(ConfigKey key, String configured, String fromUrl, boolean secret) {
            if (configured != null && fromUrl != null && !configured.equals(fromUrl)) {
                throw new ConfigurationException(key.key(), key.key() + (secret ? "" : " (" + configured + ")")
                        + " differs from the one in " + ConfigKey.DATASOURCE_URL.key()
                        + (secret ? "" : " (" + fromUrl + ")") + "; give it in one place only");
            }
            return configured != null ? configured : fromUrl;
        }

        private static Path mergePath(ConfigKey key, Path configured, String fromUrl) {
            if (fromUrl == null) {
                return configured;
            }
            Path urlPath = Path.of(fromUrl);
            if (configured != null && !configured.equals(urlPath)) {
                throw new ConfigurationException(key.key(), key.key() + " (" + configured + ") differs from the file "
                        + "named in " + ConfigKey.DATASOURCE_URL.key() + " (" + fromUrl + "); name it in one place only");
            }
            return urlPath;
        }

        private static String firstNonNull(String first, String second) {
            return first != null ? first : second;
        }

        private static void checkServerTimeout(ConfigKey key, Duration value) {
            if (value.isNegative()) {
                throw key.invalid(Durations.format(value), "must not be negative (0 turns it off)");
            }
            if (value.compareTo(Duration.ofMillis(MAX_SERVER_TIMEOUT_MILLIS)) > 0) {
                throw key.invalid(Durations.format(value), "must be at most " + MAX_SERVER_TIMEOUT_MILLIS
                        + "ms, PostgreSQL's limit");
            }
            if (!value.isZero() && value.toMillis() == 0) {
                throw key.invalid(value, "must be 0 or at least 1ms");
            }
        }

        private static void checkReadable(ConfigKey key, Path file) {
            if (file != null && !Files.isReadable(file)) {
                throw key.invalid(file, Files.exists(file) ? "is not readable by this process"
                        : "does not exist");
            }
        }
    }
}
