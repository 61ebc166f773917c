package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgdbm new}: the next migration file of a module. */
class NewCommandTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

    @Test
    void numbersTheNextFileAndNamesItSafely() throws IOException {
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("001_accounts.sql"), "SELECT 1;");
        Files.writeString(users.resolve("V010__later.sql"), "SELECT 1;");

        Result created = cli.run("new", "users", "Add e-mail index!", "--path", users.toString());

        assertThat(created.exitCode()).isZero();
        Path file = users.resolve("011_add_e_mail_index.sql");
        assertThat(created.out().strip()).isEqualTo(file.toString());
        assertThat(Files.readString(file)).startsWith("-- Add e-mail index!\n-- Module users, created ");
    }

    @Test
    void lineBreakInTheDescriptionStaysInsideTheComment() throws IOException {
        Path users = dir.resolve("users");

        Result created = cli.run("new", "users", "add index\nDROP TABLE accounts;\r\n-- more", "--path",
                users.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        Path file = users.resolve("001_add_index_drop_table_accounts_more.sql");
        assertThat(Files.readString(file).lines().toList()).satisfiesExactly(
                line -> assertThat(line).isEqualTo("-- add index DROP TABLE accounts; -- more"),
                line -> assertThat(line).startsWith("-- Module users, created "),
                line -> assertThat(line).isEqualTo("-- Write the SQL below: until this file holds a statement, "
                        + "migrate refuses it."),
                line -> assertThat(line).isEmpty());
    }

    @Test
    void newFileCannotBeAppliedUntilItHoldsAStatement() throws IOException, SQLException {
        Path users = dir.resolve("users");
        cli.run("new", "users", "accounts", "--path", users.toString());
        Path file = users.resolve("001_accounts.sql");

        Result refused = cli.run("migrate", "--module", "users", "--path", users.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("001_accounts.sql has no statement, only comments or whitespace: write its "
                + "SQL, or delete the file");
        assertThat(cli.query("SELECT count(*) FROM users.schema_migrations")).as("nothing recorded").isEqualTo("0");

        Files.writeString(file, Files.readString(file) + "CREATE TABLE {{tables.accounts}} (id int);\n");
        Result migrated = cli.run("migrate", "--module", "users", "--path", users.toString());

        assertThat(migrated.exitCode()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("users: applied 001_accounts.sql");
    }

    @Test
    void takesTheFolderFromTheProjectFile() throws IOException {
        Path file = Files.writeString(dir.resolve("pgdbm.properties"), "pgdbm.module.users.migrations=db/users\n");

        Result created = cli.run("new", "users", "accounts", "--config", file.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(dir.resolve("db/users/001_accounts.sql")).exists();
    }

    @Test
    void offersNoConnectionOptionsAsItNeverConnects() {
        Result help = cli.run("new", "--help");
        Result withUrl = cli.run("new", "users", "accounts", "--path", dir.toString(), "--url",
                "jdbc:postgresql://localhost/app");

        assertThat(help.out()).contains("--path").contains("--config").doesNotContain("--url")
                .doesNotContain("--password").doesNotContain("--username");
        assertThat(withUrl.exitCode()).isEqualTo(2);
        assertThat(withUrl.err()).contains("Unknown option '--url'");
    }

    @Test
    void descriptionWithoutLettersOrDigitsIsBadUsage() {
        Result empty = cli.run("new", "users", "?! ...", "--path", dir.toString());

        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("The description '?! ...' has no letters or digits to name the file with");
    }

    @Test
    void moduleWithoutAFolderIsBadUsageSayingWhereToGiveIt() {
        Result noFolder = cli.run("new", "users", "accounts");

        assertThat(noFolder.exitCode()).isEqualTo(2);
        assertThat(noFolder.err()).contains("Module users has no migrations folder: pass --path, or set "
                + "pgdbm.module.\"users\".migrations in pgdbm.properties (or PGDBM_MODULE__USERS__MIGRATIONS)");
    }
}
