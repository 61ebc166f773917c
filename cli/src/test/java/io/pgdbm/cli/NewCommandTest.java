package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
