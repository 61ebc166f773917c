package io.pgdbm.core.testsupport;

import io.pgdbm.core.DatabaseConfig;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A fresh, empty database on the {@link PostgresServer}, dropped by {@link #close()}. Made by
 * {@link PostgresServer#createDatabase(String)} or handed to tests by {@link PostgresDatabaseExtension}.
 *
 * <pre>{@code
 * try (TestDatabase database = PostgresServer.shared().createDatabase("orders");
 *         Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(2).build())) {
 *     ...
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private volatile boolean closed;

    TestDatabase(PostgresServer server, String name) {
        this.server = Objects.requireNonNull(server, "server");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The database's name, {@code pgdbm_test_<hint>_<8 hex digits>}. */
    public String name() {
        return name;
    }

    /** The server the database lives on. */
    public PostgresServer server() {
        return server;
    }

    /** A JDBC URL for this database, without credentials ({@link #username()}, {@link #password()}). */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String username() {
        return server.username();
    }

    /** The password, or {@code null} when the server trusts local connections (the embedded one does). */
    public String password() {
        return server.password();
    }

    /**
     * A configuration builder pointing at this database, with the credentials set and a short connect backoff so
     * that a test expecting a failure does not sleep through the production defaults. Everything else is the
     * default of {@link DatabaseConfig#builder()}; change what the test needs, then {@code build()}.
     */
    public DatabaseConfig.Builder configBuilder() {
        return DatabaseConfig.builder()
                .url(jdbcUrl())
                .username(username())
                .password(password())
                .connectBackoff(Duration.ofMillis(50))
                .connectMaxBackoff(Duration.ofMillis(200));
    }

    /** An unpooled DataSource for this database, for set-up and checks done beside the code under test. */
    public DataSource dataSource() {
        return server.dataSource(name);
    }

    /** Drops the database, ending any session still connected to it. Calling it again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.dropDatabase(name);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server.host() + ":" + server.port() + "]";
    }
}
