package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The next test's database is cloned, and its pool opened, while the test before it runs. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloneAheadTest {

    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users")
            .withSql("users", "fixtures/users.sql");

    private static String first;
    private static Set<String> existingDuringFirst;
    private static Set<String> connectedDuringFirst;

    @Test
    @Order(1)
    void whileATestRunsTheNextDatabaseIsMade() throws SQLException {
        first = db.databaseName();
        PgdbmTestServer server = PgdbmTestServer.shared();
        server.background().awaitIdle();
        existingDuringFirst = Set.copyOf(server.databases());
        connectedDuringFirst = connectedDatabases(server);
    }

    @Test
    @Order(2)
    void theNextTestGetsADatabaseThatExistedWithItsPoolOpenBeforeItStarted() {
        assertThat(db.databaseName()).isNotEqualTo(first).isIn(existingDuringFirst).isIn(connectedDuringFirst);
        assertThat(db.module("users").fetchAll("SELECT email FROM {{tables.accounts}} ORDER BY id", String.class))
                .containsExactly("ada@example.com", "grace@example.com");
    }

    private static Set<String> connectedDatabases(PgdbmTestServer server) throws SQLException {
        Set<String> databases = new HashSet<>();
        try (Connection connection = server.dataSource("postgres").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_stat_activity WHERE datname IS NOT "
                        + "NULL")) {
            while (rows.next()) {
                databases.add(rows.getString(1));
            }
        }
        return databases;
    }
}
