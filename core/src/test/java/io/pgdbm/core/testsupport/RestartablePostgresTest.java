package io.pgdbm.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class RestartablePostgresTest {

    @Test
    void keepsCommittedDataAcrossAStopAndACrashOnTheSamePort() throws SQLException {
        Path dataDirectory;
        try (RestartablePostgres server = RestartablePostgres.startNew()) {
            dataDirectory = server.dataDirectory();
            int port = server.port();
            execute(server.dataSource(), "CREATE TABLE kept (id int)");
            execute(server.dataSource(), "INSERT INTO kept VALUES (1)");

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> server.dataSource().getConnection()).isInstanceOf(SQLException.class);
            server.start();
            execute(server.dataSource(), "INSERT INTO kept VALUES (2)");
            server.crash();
            server.start();

            assertThat(server.port()).isEqualTo(port);
            assertThat(count(server.dataSource(), "SELECT count(*) FROM kept")).isEqualTo(2);
            assertThat(server.configBuilder().build().url()).contains("jdbc:postgresql://localhost:" + port
                    + "/postgres");
        }
        assertThat(Files.exists(dataDirectory)).as("data directory after close").isFalse();
    }

    @Test
    void refusesToStartTwiceOrStopWhenDown() {
        try (RestartablePostgres server = RestartablePostgres.startNew()) {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is running already");
            server.stop();
            assertThatThrownBy(server::stop).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not running");
            assertThatThrownBy(server::crash).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not running");
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
