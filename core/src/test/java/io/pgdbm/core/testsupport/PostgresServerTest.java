package io.pgdbm.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.core.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void sharesOneServerAcrossCalls() {
        PostgresServer first = PostgresServer.shared();
        PostgresServer second = PostgresServer.shared();

        assertThat(second).isSameAs(first);
        assertThat(second.port()).isEqualTo(first.port()).isPositive();
        assertThat(first.serverVersion()).isGreaterThanOrEqualTo(130000);
    }

    @Test
    void givesEachTestDatabaseItsOwnTables() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        try (TestDatabase first = server.createDatabase("isolation");
                TestDatabase second = server.createDatabase("isolation")) {
            execute(first.dataSource(), "CREATE TABLE marker (id int)");

            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(queryString(first.dataSource(), "SELECT current_database()")).isEqualTo(first.name());
            assertThat(queryString(second.dataSource(), "SELECT current_database()")).isEqualTo(second.name());
            assertThat(queryString(first.dataSource(), "SELECT to_regclass('public.marker')::text"))
                    .isEqualTo("marker");
            assertThat(queryString(second.dataSource(), "SELECT to_regclass('public.marker')::text")).isNull();
        }
    }

    @Test
    void dropsDatabaseOnCloseEvenWhileConnected() throws SQLException {
        TestDatabase database = PostgresServer.shared().createDatabase("drop");
        assertThat(databaseExists(database.name())).isTrue();

        // A connection left open, as by a test that failed before closing its pool, must not block the drop.
        try (Connection leftOpen = database.dataSource().getConnection()) {
            database.close();

            assertThat(databaseExists(database.name())).isFalse();
            assertThat(leftOpen.isValid(1)).isFalse();
        }
        database.close();
    }

    @Test
    void namesDatabaseAfterSanitisedHintWithinPostgresLimit() {
        String name = PostgresServer.databaseName(
                "Weird Hint-With.Dots$and UPPER case and a length far beyond what PostgreSQL keeps");

        assertThat(name)
                .matches("pgdbm_test_[a-z0-9_]+_[0-9a-f]{8}")
                .startsWith("pgdbm_test_weird_hint_with_dots_and_upper_case")
                .hasSizeLessThanOrEqualTo(63)
                .doesNotContain("__");
        assertThat(PostgresServer.databaseName("")).matches("pgdbm_test_db_[0-9a-f]{8}");
        assertThat(PostgresServer.databaseName("same")).isNotEqualTo(PostgresServer.databaseName("same"));
    }

    @Test
    void fillsConfigBuilderWithDatabaseUrlAndCredentials() {
        try (TestDatabase database = PostgresServer.shared().createDatabase("config")) {
            DatabaseConfig config = database.configBuilder().build();

            assertThat(config.url()).contains(database.jdbcUrl());
            assertThat(database.jdbcUrl()).contains(":" + database.server().port() + "/" + database.name());
            assertThat(config.username()).contains(database.username());
            assertThat(config.password()).isEqualTo(Optional.ofNullable(database.password()));
        }
    }

    static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = PostgresServer.shared().adminDataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1) == 1;
            }
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
