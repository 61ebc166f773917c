package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command, run in-process against a real PostgreSQL, with its output and exit code. */
class CliTest {

    private final PgdbmTestServer server = PgdbmTestServer.shared();
    private PgdbmTestServer.Database database;
    private final Map<String, String> environment = new HashMap<>();

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    @BeforeEach
    void freshDatabase() {
        database = server.newDatabase();
        environment.put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
        environment.put("PGDBM_DATASOURCE_USERNAME", server.username());
        if (server.password() != null) {
            environment.put("PGDBM_DATASOURCE_PASSWORD", server.password());
        }
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PgdbmCli.run(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path folder(String name, String... files) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(folder.resolve(files[i]), files[i + 1]);
        }
        return folder;
    }

    @Test
    void migratesOneModuleShowingEachFileThenReportsItsStatus() throws IOException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);",
                "002_names.sql", "ALTER TABLE {{tables.accounts}} ADD COLUMN name text;");

        Result migrate = run("migrate", "--module", "users", "--path", users.toString());

        assertThat(migrate.exitCode()).isZero();
        assertThat(migrate.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches("users: applied 001_accounts\\.sql \\(\\d+ms\\)"),
                line -> assertThat(line).matches("users: applied 002_names\\.sql \\(\\d+ms\\)"),
                line -> assertThat(line).matches("users: 2 applied, 0 already applied, \\d+ms"));

        Result status = run("status", "--module", "users", "--path", users.toString(), "--json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith("[{\"module\":\"users\"").contains("\"file\":\"001_accounts.sql\"")
                .contains("\"state\":\"applied\"").contains("\"appliedBy\":\"" + server.username() + "\"");

        Result table = run("status", "--module", "users", "--path", users.toString());
        assertThat(table.out()).contains("users (schema users)").containsPattern("002_names\\.sql\\s+applied");
    }

    @Test
    void projectFileMigratesEveryModuleInDependencyOrderWithVariablesExpanded() throws IOException {
        folder("db/users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);");
        folder("db/orders", "001_orders.sql",
                "CREATE TABLE {{tables.orders}} (account int REFERENCES {{tables.users.accounts}});");
        Path project = Files.writeString(dir.resolve("pgdbm.properties"), """
                pgdbm.datasource.url=${APP_DB_URL}
                pgdbm.module."orders".migrations=db/orders
                pgdbm.module."orders".schema=shop_orders
                pgdbm.module."orders".depends-on=users
                pgdbm.module.users.migrations=db/users
                """);
        environment.put("APP_DB_URL", environment.remove("PGDBM_DATASOURCE_URL"));

        Result dryRun = run("migrate", "--config", project.toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("users: would apply 001_accounts.sql\n"
                + "orders: would apply 001_orders.sql\n");

        Result migrate = run("migrate", "--config", project.toString(), "--json");

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).startsWith("[{\"module\":\"users\",\"schema\":\"users\",\"applied\":[{")
                .contains("{\"module\":\"orders\",\"schema\":\"shop_orders\"");
        assertThat(run("schema", "list", "--config", project.toString()).out())
                .containsPattern("shop_orders\\s+" + server.username() + "\\s+2\\s+yes");
    }

    @Test
    void changedFileFailsValidationUntilRepaired() throws IOException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        run("migrate", "--module", "users", "--path", users.toString());
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id bigint);");

        Result invalid = run("validate", "--module", "users", "--path", users.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("pgdbm: users - 1 migration problem, nothing was applied")
                .contains("001_accounts.sql was changed after it was applied").contains("run repair");

        assertThat(run("repair", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("users: recorded the current checksum of 001_accounts.sql\n");
        assertThat(run("validate", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("users: valid, 1 applied, 0 pending\n");
    }

    @Test
    void newNumbersTheNextFileAndNamesItSafely() throws IOException {
        Path users = folder("users", "001_accounts.sql", "SELECT 1;", "V010__later.sql", "SELECT 1;");

        Result created = run("new", "users", "Add e-mail index!", "--path", users.toString());

        assertThat(created.exitCode()).isZero();
        Path file = users.resolve("011_add_e_mail_index.sql");
        assertThat(created.out().strip()).isEqualTo(file.toString());
        assertThat(Files.readString(file)).startsWith("-- Add e-mail index!\n-- Module users, created ");
    }

    @Test
    void databasesAreCreatedInspectedAndDroppedOnlyWhenConfirmed() {
        String url = database.jdbcUrl().replace(database.name(), database.name() + "_made");

        assertThat(run("db", "create", "--url", url).out()).isEqualTo("created database " + database.name()
                + "_made\n");
        assertThat(run("db", "info", "--url", url).out()).contains("database:    " + database.name() + "_made")
                .contains("server:      PostgreSQL");
        assertThat(run("db", "test-connection", "--url", url).out()).startsWith("ok: connected as " + server.username() + "@");

        Result refused = run("db", "drop", "--url", url);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("there is no terminal to confirm on; pass --yes to drop it");

        assertThat(run("db", "drop", "--url", url, "--yes").out()).isEqualTo("dropped database "
                + database.name() + "_made\n");
        assertThat(run("db", "test-connection", "--url", url).exitCode()).isEqualTo(1);
    }

    @Test
    void mistakesGiveTheirExitCodeAndSayWhatToFix() {
        Result usage = run("migrate", "--modul", "users");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown options: '--modul'").contains("Possible solutions: --module");

        Result missingFolder = run("migrate", "--module", "users", "--path", dir.resolve("nowhere").toString());
        assertThat(missingFolder.exitCode()).isEqualTo(1);
        assertThat(missingFolder.err()).contains("users - migrations directory").contains("does not exist");

        Result badUrl = run("db", "test-connection", "--url", "jdbc:postgresql://127.0.0.1:1/app",
                "--password", "s3cret-pw");
        assertThat(badUrl.exitCode()).isEqualTo(1);
        assertThat(badUrl.err()).contains("could not connect to 127.0.0.1:1/app").doesNotContain("s3cret-pw");

        environment.remove("PGDBM_DATASOURCE_URL");
        Result noDatabase = run("status", "--module", "users", "--path", dir.toString());
        assertThat(noDatabase.exitCode()).isEqualTo(1);
        assertThat(noDatabase.err()).contains("No database given: pass --url, or set PGDBM_DATASOURCE_URL");
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("pgdbm.properties"),
                "pgdbm.datasource.url=jdbc:postgresql://127.0.0.1:1/from_file\n");
        environment.put("PGDBM_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:2/from_env");

        assertThat(run("db", "test-connection", "--config", file.toString()).err()).contains("from_env");
        assertThat(run("--url", database.jdbcUrl(), "db", "test-connection", "--config", file.toString()).exitCode())
                .isZero();
        environment.remove("PGDBM_DATASOURCE_URL");
        assertThat(run("db", "test-connection", "--config", file.toString()).err()).contains("from_file");
        assertThat(List.of(CliConfig.environmentName("pgdbm.module.\"users\".schema")))
                .containsExactly("PGDBM_MODULE__USERS__SCHEMA");
    }
}
