package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code pgdbm.jar} as a real process: migrate, status, the exit codes, and dev. */
class JarIT {

    @TempDir
    Path dir;

    /** What the process printed and returned. */
    record Outcome(int exitCode, String out, String err) {
    }

    private Outcome pgdbm(PgdbmTestServer.Database database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java", "-jar", System.getProperty("pgdbm.cli.jar", "target/pgdbm.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
        builder.environment().put("PGDBM_DATASOURCE_USERNAME", PgdbmTestServer.shared().username());
        if (PgdbmTestServer.shared().password() != null) {
            builder.environment().put("PGDBM_DATASOURCE_PASSWORD", PgdbmTestServer.shared().password());
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("pgdbm finished").isTrue();
        return new Outcome(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void jarMigratesReportsStatusAndExitsWithTheRightCodes() throws Exception {
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int);");
        try (PgdbmTestServer.Database database = PgdbmTestServer.shared().newDatabase()) {
            Outcome migrate = pgdbm(database, "migrate", "--module", "users", "--path", users.toString());
            assertThat(migrate.exitCode()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("users: applied 001_accounts.sql (");

            Outcome status = pgdbm(database, "status", "--module", "users", "--path", users.toString(), "--json");
            assertThat(status.out()).contains("\"state\":\"applied\"");

            Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id bigint);");
            Outcome changed = pgdbm(database, "migrate", "--module", "users", "--path", users.toString());
            assertThat(changed.exitCode()).isEqualTo(1);
            assertThat(changed.err()).contains("001_accounts.sql was changed after it was applied");

            assertThat(pgdbm(database, "migrate", "--no-such-flag").exitCode()).isEqualTo(2);
            assertThat(pgdbm(database, "--help").out()).contains("migrate").contains("status").contains("validate")
                    .contains("repair").contains("new").contains("db").contains("schema").contains("dev");
        }
    }

    @Test
    void devRunsAnEmbeddedServerUntilStopped() throws Exception {
        Process dev = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator
                + "java", "-jar", System.getProperty("pgdbm.cli.jar", "target/pgdbm.jar"), "dev")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
                dev.getInputStream(), StandardCharsets.UTF_8))) {
            String url = null;
            for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
                int start = line.indexOf("jdbc:postgresql://");
                if (start >= 0) {
                    url = line.substring(start, line.lastIndexOf('\''));
                }
            }
            assertThat(url).as("the URL dev prints").isNotNull().doesNotContain("password");
            try (Connection connection = DriverManager.getConnection(url);
                    ResultSet row = connection.createStatement().executeQuery("SELECT 1")) {
                assertThat(row.next()).isTrue();
            }

            dev.destroy();

            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("dev stopped on SIGTERM").isTrue();
            String stopped = url;
            assertThatThrownBy(() -> DriverManager.getConnection(stopped)).isInstanceOf(SQLException.class);
        } finally {
            dev.destroyForcibly();
        }
    }
}
