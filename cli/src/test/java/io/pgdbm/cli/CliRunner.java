package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@code pgdbm} in-process against a fresh database of the test server, with an environment of its own that names
 * that database ({@code PGDBM_DATASOURCE_URL}, and the server's user and password). Register with
 * {@code @RegisterExtension}. A run that fails with an exception pgdbm did not foresee fails the test.
 */
final class CliRunner implements BeforeEachCallback, AfterEachCallback {

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {

        /** Both streams, for asserting what a run never prints. */
        String all() {
            return out + err;
        }
    }

    private final PgdbmTestServer server = PgdbmTestServer.shared();
    private final Map<String, String> environment = new HashMap<>();
    private final List<String> roles = new ArrayList<>();
    private PgdbmTestServer.Database database;
    private Terminal terminal = Terminal.NONE;

    @Override
    public void beforeEach(ExtensionContext context) {
        database = server.newDatabase();
        environment.put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
        environment.put("PGDBM_DATASOURCE_USERNAME", server.username());
        if (server.password() != null) {
            environment.put("PGDBM_DATASOURCE_PASSWORD", server.password());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        for (String role : roles) {
            // Its schemas and its grant first; in the test database, as the admin database's name is not known.
            execute("DROP OWNED BY \"" + role + "\"");
            execute("DROP ROLE \"" + role + "\"");
        }
        database.close();
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PgdbmCli.run(environment, terminal, new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(err.toString()).as("what %s printed on stderr", List.of(args))
                .doesNotContain("(unexpected ");
        return new Result(code, out.toString(), err.toString());
    }

    /** The variables the runs see; tests change them freely. */
    Map<String, String> environment() {
        return environment;
    }

    /** Where {@code db drop} asks; none by default, as when the command runs in a pipeline. */
    void terminal(Terminal value) {
        terminal = value;
    }

    PgdbmTestServer server() {
        return server;
    }

    PgdbmTestServer.Database database() {
        return database;
    }

    /** The test database's URL on {@code host:port}, e.g. a closed port, for a connection that fails. */
    String urlOn(String hostAndPort) {
        return database.jdbcUrl().replaceFirst("//[^/]+/", "//" + hostAndPort + "/");
    }

    /**
     * A new login role with this password that may create schemas in the test database, dropped after the test; for
     * runs that must authenticate with a real secret.
     */
    String roleWithPassword(String password) throws SQLException {
        String role = database.name() + "_role";
        execute("CREATE ROLE \"" + role + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        roles.add(role);
        execute("GRANT CREATE ON DATABASE \"" + database.name() + "\" TO \"" + role + "\"");
        return role;
    }

    /** The first column of the first row of a query against the test database, run as the server's user. */
    String query(String sql) throws SQLException {
        try (Connection connection = server.dataSource(database.name()).getConnection();
                Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = server.dataSource(database.name()).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
