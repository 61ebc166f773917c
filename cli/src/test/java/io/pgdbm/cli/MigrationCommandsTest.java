package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** migrate, status, validate and repair, run in-process against a real PostgreSQL. */
class MigrationCommandsTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

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

        Result migrate = cli.run("migrate", "--module", "users", "--path", users.toString());

        assertThat(migrate.exitCode()).isZero();
        assertThat(migrate.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches("users: applied 001_accounts\\.sql \\(\\d+ms\\)"),
                line -> assertThat(line).matches("users: applied 002_names\\.sql \\(\\d+ms\\)"),
                line -> assertThat(line).matches("users: 2 applied, 0 already applied, \\d+ms"));

        Result status = cli.run("status", "--module", "users", "--path", users.toString(), "--json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith("[{\"module\":\"users\"").contains("\"file\":\"001_accounts.sql\"")
                .contains("\"state\":\"applied\"")
                .contains("\"appliedBy\":\"" + cli.server().username() + "\"");

        Result table = cli.run("status", "--module", "users", "--path", users.toString());
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
        cli.environment().put("APP_DB_URL", cli.environment().remove("PGDBM_DATASOURCE_URL"));

        Result dryRun = cli.run("migrate", "--config", project.toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("users: would apply 001_accounts.sql\n"
                + "orders: would apply 001_orders.sql\n");

        Result migrate = cli.run("migrate", "--config", project.toString(), "--json");

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).startsWith("[{\"module\":\"users\",\"schema\":\"users\",\"applied\":[{")
                .contains("{\"module\":\"orders\",\"schema\":\"shop_orders\"");
        assertThat(cli.run("schema", "list", "--config", project.toString()).out())
                .containsPattern("shop_orders\\s+" + cli.server().username() + "\\s+2\\s+yes");
    }

    @Test
    void changedFileFailsValidationUntilRepaired() throws IOException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        cli.run("migrate", "--module", "users", "--path", users.toString());
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id bigint);");

        Result invalid = cli.run("validate", "--module", "users", "--path", users.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("pgdbm: users - 1 migration problem, nothing was applied")
                .contains("001_accounts.sql was changed after it was applied").contains("run repair");

        assertThat(cli.run("repair", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("users: recorded the current checksum of 001_accounts.sql\n");
        assertThat(cli.run("validate", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("users: valid, 1 applied, 0 pending\n");
    }

    @Test
    void missingFolderFailsNamingTheModuleAndTheFolder() {
        Result missing = cli.run("migrate", "--module", "users", "--path", dir.resolve("nowhere").toString());

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("users - migrations directory").contains("nowhere")
                .contains("does not exist");
    }
}
