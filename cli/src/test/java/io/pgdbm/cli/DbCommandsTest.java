package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pgdbm db create|drop|info|test-connection}. */
class DbCommandsTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    private String name;
    private String url;

    /** A person at a terminal who types one answer. */
    static final class Person implements Terminal {

        private final String answer;
        final List<String> prompts = new ArrayList<>();

        Person(String answer) {
            this.answer = answer;
        }

        @Override
        public boolean isInteractive() {
            return true;
        }

        @Override
        public String readLine(String prompt) {
            prompts.add(prompt);
            return answer;
        }
    }

    @BeforeEach
    void createDatabase() {
        name = cli.database().name() + "_made";
        url = cli.database().jdbcUrl().replace(cli.database().name(), name);
        assertThat(cli.run("db", "create", "--url", url).out()).isEqualTo("created database " + name + "\n");
    }

    private boolean exists(String database) throws SQLException {
        return cli.query("SELECT 1 FROM pg_database WHERE datname = '" + database + "'") != null;
    }

    @Test
    void createdDatabaseIsDescribedAndReachable() {
        assertThat(cli.run("db", "info", "--url", url).out()).contains("database:    " + name)
                .contains("server:      PostgreSQL");
        assertThat(cli.run("db", "test-connection", "--url", url).out())
                .startsWith("ok: connected as " + cli.server().username() + "@" + name + " (PostgreSQL ");
    }

    @Test
    void dropWithoutATerminalRefusesUnlessYes() throws SQLException {
        Result refused = cli.run("db", "drop", "--url", url);

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Not dropping database " + name + ": there is no terminal to confirm on; "
                + "pass --yes to drop it");
        assertThat(exists(name)).isTrue();

        assertThat(cli.run("db", "drop", "--url", url, "--yes").out()).isEqualTo("dropped database " + name + "\n");
        assertThat(exists(name)).isFalse();
        assertThat(cli.run("db", "test-connection", "--url", url).exitCode()).isEqualTo(1);
    }

    @Test
    void dropAtATerminalDropsWhenTheNameIsTyped() throws SQLException {
        Person person = new Person(" " + name + " ");
        cli.terminal(person);

        Result dropped = cli.run("db", "drop", "--url", url);

        assertThat(dropped.exitCode()).as(dropped.err()).isZero();
        assertThat(person.prompts).containsExactly("Drop database " + name + " and everything in it? Type its name "
                + "to confirm: ");
        assertThat(exists(name)).isFalse();
    }

    @Test
    void dropAtATerminalKeepsTheDatabaseWhenAnotherNameIsTyped() throws SQLException {
        cli.terminal(new Person("yes"));

        Result kept = cli.run("db", "drop", "--url", url);

        assertThat(kept.exitCode()).isEqualTo(1);
        assertThat(kept.err()).contains("Not dropped: the name typed did not match " + name);
        assertThat(exists(name)).isTrue();
    }

    @Test
    void dropAtATerminalKeepsTheDatabaseWhenInputEnds() throws SQLException {
        cli.terminal(new Person(null));

        assertThat(cli.run("db", "drop", "--url", url).exitCode()).isEqualTo(1);
        assertThat(exists(name)).isTrue();
    }

    @Test
    void createFailsSayingTheDatabaseExists() {
        Result again = cli.run("db", "create", "--url", url);

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains(name).contains("already exists");
    }
}
