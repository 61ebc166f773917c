package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Where settings come from: flags, then the environment, then the properties file. */
class ConfigurationTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("pgdbm.properties"),
                "pgdbm.datasource.url=jdbc:postgresql://127.0.0.1:1/from_file\n");
        cli.environment().put("PGDBM_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:2/from_env");

        assertThat(cli.run("db", "test-connection", "--config", file.toString()).err()).contains("from_env");
        assertThat(cli.run("--url", cli.database().jdbcUrl(), "db", "test-connection", "--config", file.toString())
                .exitCode()).isZero();
        cli.environment().remove("PGDBM_DATASOURCE_URL");
        assertThat(cli.run("db", "test-connection", "--config", file.toString()).err()).contains("from_file");
    }
}
