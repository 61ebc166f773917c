package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad usage exits with 2 and says what to set or pass to fix it; a failure exits with 1. */
class UsageErrorsTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

    @Test
    void unknownOptionExitsWithTwoAndSuggestsTheRightOne() {
        Result usage = cli.run("migrate", "--modul", "users");

        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option '--modul'").contains("Possible solutions: --module")
                .contains("Run 'pgdbm migrate --help' for its options.");
    }

    @Test
    void missingUrlExitsWithTwoNamingTheFlagTheVariableAndTheKey() {
        cli.environment().remove("PGDBM_DATASOURCE_URL");

        Result noDatabase = cli.run("status", "--module", "users", "--path", dir.toString());

        assertThat(noDatabase.exitCode()).isEqualTo(2);
        assertThat(noDatabase.err()).contains("No database given: pass --url, or set PGDBM_DATASOURCE_URL, or "
                + "pgdbm.datasource.url in pgdbm.properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mysql://localhost/app", "not-a-url"})
    void malformedUrlExitsWithTwoShowingWhatAValidOneLooksLike(String url) {
        Result badUrl = cli.run("db", "test-connection", "--url", url);

        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("'" + url + "' is not a PostgreSQL URL; write it as "
                + "jdbc:postgresql://host:5432/database or postgresql://user:password@host:5432/database");
    }

    @Test
    void unreachableServerExitsWithOneNamingTheServer() {
        Result unreachable = cli.run("db", "test-connection", "--url", "jdbc:postgresql://127.0.0.1:1/app");

        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("could not connect to 127.0.0.1:1/app");
    }

    @Test
    void noModuleExitsWithTwoSayingHowToNameOne() {
        Result noModule = cli.run("migrate");

        assertThat(noModule.exitCode()).isEqualTo(2);
        assertThat(noModule.err()).contains("No module given: pass --module and --path, or list modules in "
                + "pgdbm.properties (pgdbm.module.\"<name>\".migrations=<folder>)");
    }

    @Test
    void moduleWithoutFolderExitsWithTwoSayingWhereToGiveIt() {
        Result noFolder = cli.run("migrate", "--module", "users");

        assertThat(noFolder.exitCode()).isEqualTo(2);
        assertThat(noFolder.err()).contains("Module users has no migrations folder: pass --path, or set "
                + "pgdbm.module.\"users\".migrations");
    }

    @Test
    void failureIsOneLineWithoutAStackTraceUnlessVerbose() {
        Result quiet = cli.run("db", "test-connection", "--url", "jdbc:postgresql://127.0.0.1:1/app");
        Result verbose = cli.run("db", "test-connection", "--url", "jdbc:postgresql://127.0.0.1:1/app", "--verbose");
        Result shortFlagFirst = cli.run("-v", "db", "test-connection", "--url", "jdbc:postgresql://127.0.0.1:1/app");

        assertThat(quiet.err()).startsWith("pgdbm: pgdbm-cli - could not connect to 127.0.0.1:1/app")
                .hasLineCount(1).doesNotContain("Exception");
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.err()).startsWith("pgdbm: pgdbm-cli - could not connect to 127.0.0.1:1/app")
                .contains("io.pgdbm.ConnectionException: ").contains("\tat io.pgdbm.");
        assertThat(shortFlagFirst.err()).contains("\tat io.pgdbm.");
    }

    @Test
    void groupOfCommandsWithoutOneShowsTheCommandsItHas() {
        Result db = cli.run("db");

        assertThat(db.exitCode()).isEqualTo(2);
        assertThat(db.err()).contains("Missing required subcommand").contains("test-connection");
    }
}
