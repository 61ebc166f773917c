package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pgdbm db create|drop|info|test-connection} and {@code schema list}. */
class DbCommandsTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @Test
    void databasesAreCreatedInspectedAndDroppedOnlyWhenConfirmed() {
        String name = cli.database().name() + "_made";
        String url = cli.database().jdbcUrl().replace(cli.database().name(), name);

        assertThat(cli.run("db", "create", "--url", url).out()).isEqualTo("created database " + name + "\n");
        assertThat(cli.run("db", "info", "--url", url).out()).contains("database:    " + name)
                .contains("server:      PostgreSQL");
        assertThat(cli.run("db", "test-connection", "--url", url).out())
                .startsWith("ok: connected as " + cli.server().username() + "@" + name + " (PostgreSQL ");

        Result refused = cli.run("db", "drop", "--url", url);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("there is no terminal to confirm on; pass --yes to drop it");

        assertThat(cli.run("db", "drop", "--url", url, "--yes").out()).isEqualTo("dropped database " + name + "\n");
        assertThat(cli.run("db", "test-connection", "--url", url).exitCode()).isEqualTo(1);
    }
}
