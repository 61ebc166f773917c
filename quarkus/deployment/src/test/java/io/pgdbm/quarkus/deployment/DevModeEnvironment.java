package io.pgdbm.quarkus.deployment;

import io.pgdbm.testing.PgdbmTestServer;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * A new empty database of pgdbm-testing's server and a free HTTP port for each test's dev mode application, handed
 * over as system properties (what dev mode reads; {@code QuarkusDevModeTest} starts a new application for each test
 * but has no configuration per test). Register it before {@code QuarkusDevModeTest} ({@code @Order}): it must run
 * first, and its {@code afterEach}, which drops the database, after the application has stopped.
 */
final class DevModeEnvironment implements BeforeEachCallback, AfterEachCallback {

    private final Map<String, String> previous = new HashMap<>();
    private PgdbmTestServer.Database database;

    @Override
    public void beforeEach(ExtensionContext context) {
        PgdbmTestServer server = PgdbmTestServer.shared();
        database = server.newDatabase();
        set("quarkus.datasource.jdbc.url", database.jdbcUrl());
        set("quarkus.datasource.username", server.username());
        set("quarkus.datasource.password", server.password());
        int port = freePort();
        set("quarkus.http.port", Integer.toString(port));
        RestAssured.port = port;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        previous.clear();
        RestAssured.reset();
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** The first column of every row, as text, read beside the application on its database. */
    List<String> query(String sql) {
        try (Connection connection = database.server().dataSource(database.name()).getConnection();
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query on the test database failed: " + sql, e);
        }
    }

    private void set(String key, String value) {
        if (value == null) {
            return;
        }
        previous.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** A port nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the test application", e);
        }
    }
}
