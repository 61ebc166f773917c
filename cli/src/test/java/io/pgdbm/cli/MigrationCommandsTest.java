package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.pgdbm.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
        JsonArray modules = JsonParser.parseString(migrate.out()).getAsJsonArray();
        assertThat(modules).hasSize(2);
        assertThat(modules.get(0).getAsJsonObject()).satisfies(users -> {
            assertThat(users.get("module").getAsString()).isEqualTo("users");
            assertThat(users.get("schema").getAsString()).isEqualTo("users");
            assertThat(users.get("outcome").getAsString()).isEqualTo("migrated");
            assertThat(users.getAsJsonArray("applied").get(0).getAsJsonObject().get("file").getAsString())
                    .isEqualTo("001_accounts.sql");
        });
        assertThat(modules.get(1).getAsJsonObject().get("schema").getAsString()).isEqualTo("shop_orders");
        assertThat(cli.run("schema", "list", "--config", project.toString()).out())
                .containsPattern("shop_orders\\s+" + cli.server().username() + "\\s+2\\s+yes");
    }

    @Test
    void changedFileFailsValidationUntilRepaired() throws IOException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        cli.run("migrate", "--module", "users", "--path", users.toString());
        Files.writeString(users.resolve("001_accounts.sql"), "-- the accounts\nCREATE TABLE {{tables.accounts}} "
                + "(id int);");

        Result invalid = cli.run("validate", "--module", "users", "--path", users.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).startsWith("users: 1 problem:\n  - 001_accounts.sql was changed after it was "
                + "applied (history checksum ").contains("; only comments or whitespace changed: run repair");
        assertThat(invalid.err()).isEqualTo("pgdbm: 1 of 1 module has migration problems (listed on stdout); nothing "
                + "was changed\n");

        Result repaired = cli.run("repair", "--module", "users", "--path", users.toString(), "--yes");
        assertThat(repaired.out()).isEqualTo("""
                Repair records the current checksum of this file. Its new content will NOT be applied:
                  users/001_accounts.sql: only comments or whitespace changed
                users: recorded the current checksum of 001_accounts.sql
                """);
        assertThat(cli.run("validate", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("users: valid, 1 applied, 0 pending\n");
        assertThat(cli.run("repair", "--module", "users", "--path", users.toString()).out())
                .isEqualTo("nothing to repair: no applied file has changed\n");
    }

    @Test
    void repairSaysPlainlyThatChangedStatementsAreNotAppliedAndRefusesWithoutATerminal()
            throws IOException, SQLException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        cli.run("migrate", "--module", "users", "--path", users.toString());
        String recorded = cli.query("SELECT checksum FROM users.schema_migrations");
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int, "
                + "email text);");

        Result refused = cli.run("repair", "--module", "users", "--path", users.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEqualTo("""
                Repair records the current checksum of this file. Its new content will NOT be applied:
                  users/001_accounts.sql: its statements changed; the database keeps what the file did when it was \
                applied
                To change the schema, revert that file and write a new migration (pgdbm new) instead of repairing.
                """);
        assertThat(refused.err()).startsWith("pgdbm: Nothing was changed: there is no terminal to confirm on; run "
                + "again with --yes to record the current checksum of the file listed above");
        assertThat(cli.query("SELECT checksum FROM users.schema_migrations")).isEqualTo(recorded);

        cli.terminal(new DbCommandsTest.Person("no"));
        Result declined = cli.run("repair", "--module", "users", "--path", users.toString());
        assertThat(declined.exitCode()).isEqualTo(1);
        assertThat(declined.err()).contains("Nothing was changed: the answer was not yes");
        assertThat(cli.query("SELECT checksum FROM users.schema_migrations")).isEqualTo(recorded);

        DbCommandsTest.Person person = new DbCommandsTest.Person("yes");
        cli.terminal(person);
        Result accepted = cli.run("repair", "--module", "users", "--path", users.toString());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(person.prompts).containsExactly("Record the current checksum of this file? Type yes to confirm: ");
        assertThat(accepted.out()).endsWith("users: recorded the current checksum of 001_accounts.sql\n");
        assertThat(cli.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'users' "
                + "AND column_name = 'email'")).as("repair never applies the file").isEqualTo("0");
    }

    @Test
    void validateReportsEveryProblemOfEveryModuleAsTextAndJson() throws IOException {
        folder("db/users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);");
        folder("db/orders", "001_orders.sql", "CREATE TABLE {{tables.orders}} (id int);");
        folder("db/billing", "001_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int);");
        Path project = Files.writeString(dir.resolve("pgdbm.properties"), """
                pgdbm.module.users.migrations=db/users
                pgdbm.module.orders.migrations=db/orders
                pgdbm.module.billing.migrations=db/billing
                """);
        assertThat(cli.run("migrate", "--config", project.toString()).exitCode()).isZero();
        Files.writeString(dir.resolve("db/users/001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id bigint "
                + "PRIMARY KEY);");
        Files.writeString(dir.resolve("db/billing/001_invoices.sql"), "CREATE TABLE {{tables.invoices}} (id int, "
                + "total int);");
        Files.writeString(dir.resolve("db/billing/002_todo.sql"), "-- later\n");

        Result text = cli.run("validate", "--config", project.toString());

        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).isEqualTo("billing: 2 problems:"),
                line -> assertThat(line).startsWith("  - 001_invoices.sql was changed after it was applied")
                        .contains("its statements changed"),
                line -> assertThat(line).isEqualTo("  - 002_todo.sql has no statement, only comments or "
                        + "whitespace: write its SQL, or delete the file"),
                line -> assertThat(line).isEqualTo("orders: valid, 1 applied, 0 pending"),
                line -> assertThat(line).isEqualTo("users: 1 problem:"),
                line -> assertThat(line).startsWith("  - 001_accounts.sql was changed after it was applied"));
        assertThat(text.err()).isEqualTo("pgdbm: 2 of 3 modules have migration problems (listed on stdout); nothing "
                + "was changed\n");

        Result json = cli.run("validate", "--config", project.toString(), "--json");

        assertThat(json.exitCode()).isEqualTo(1);
        JsonArray modules = JsonParser.parseString(json.out()).getAsJsonArray();
        assertThat(modules).extracting(m -> m.getAsJsonObject().get("module").getAsString())
                .containsExactly("billing", "orders", "users");
        JsonObject billing = modules.get(0).getAsJsonObject();
        assertThat(billing.get("valid").getAsBoolean()).isFalse();
        assertThat(billing.getAsJsonArray("problems")).hasSize(2);
        JsonObject invoices = billing.getAsJsonArray("migrations").get(0).getAsJsonObject();
        assertThat(invoices.get("state").getAsString()).isEqualTo("changed");
        assertThat(invoices.get("change").getAsString()).isEqualTo("statements");
        assertThat(billing.getAsJsonArray("migrations").get(1).getAsJsonObject().get("state").getAsString())
                .isEqualTo("pending");
        assertThat(modules.get(1).getAsJsonObject().get("valid").getAsBoolean()).isTrue();
        assertThat(modules.get(1).getAsJsonObject().getAsJsonArray("problems")).isEmpty();
    }

    /** users migrates, orders fails at its second file, billing (after orders) is not reached. */
    private Path projectWhoseSecondModuleFails() throws IOException {
        folder("db/users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);");
        folder("db/orders", "001_orders.sql", "CREATE TABLE {{tables.orders}} (id int);",
                "002_broken.sql", "ALTER TABLE {{tables.orders}} ADD COLUMN total no_such_type;");
        folder("db/billing", "001_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int);");
        return Files.writeString(dir.resolve("pgdbm.properties"), """
                pgdbm.module.users.migrations=db/users
                pgdbm.module.orders.migrations=db/orders
                pgdbm.module.orders.depends-on=users
                pgdbm.module.billing.migrations=db/billing
                pgdbm.module.billing.depends-on=orders
                """);
    }

    @Test
    void jsonStillReportsTheModulesBeforeAFailureAndTheFailure() throws IOException {
        Path project = projectWhoseSecondModuleFails();

        Result migrate = cli.run("migrate", "--config", project.toString(), "--json");

        assertThat(migrate.exitCode()).isEqualTo(1);
        assertThat(migrate.err()).startsWith("pgdbm: orders - ").contains("002_broken.sql");
        JsonArray modules = JsonParser.parseString(migrate.out()).getAsJsonArray();
        assertThat(modules).hasSize(3);
        JsonObject users = modules.get(0).getAsJsonObject();
        assertThat(users.get("outcome").getAsString()).isEqualTo("migrated");
        assertThat(users.getAsJsonArray("applied")).hasSize(1);
        JsonObject orders = modules.get(1).getAsJsonObject();
        assertThat(orders.get("module").getAsString()).isEqualTo("orders");
        assertThat(orders.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(orders.getAsJsonArray("applied").get(0).getAsJsonObject().get("file").getAsString())
                .isEqualTo("001_orders.sql");
        assertThat(orders.get("error").getAsString()).contains("002_broken.sql").contains("no_such_type");
        JsonObject billing = modules.get(2).getAsJsonObject();
        assertThat(billing.get("outcome").getAsString()).isEqualTo("not attempted");
    }

    @Test
    void textStillSummarisesEveryModuleWhenOneFails() throws IOException {
        Path project = projectWhoseSecondModuleFails();

        Result migrate = cli.run("migrate", "--config", project.toString());

        assertThat(migrate.exitCode()).isEqualTo(1);
        assertThat(migrate.out().lines().toList()).satisfiesExactly(
                line -> assertThat(line).startsWith("users: applied 001_accounts.sql ("),
                line -> assertThat(line).startsWith("users: 1 applied, 0 already applied, "),
                line -> assertThat(line).startsWith("orders: applied 001_orders.sql ("),
                line -> assertThat(line).isEqualTo("orders: failed after 1 applied; the reason is on stderr"),
                line -> assertThat(line).isEqualTo("billing: not attempted, as an earlier module failed"));
        assertThat(migrate.err()).startsWith("pgdbm: orders - ").contains("002_broken.sql");
    }

    @Test
    void dryRunJsonListsWhatEachModuleWouldApply() throws IOException {
        Path users = folder("users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");

        Result dryRun = cli.run("migrate", "--module", "users", "--path", users.toString(), "--dry-run", "--json");

        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        JsonObject plan = JsonParser.parseString(dryRun.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(plan.get("outcome").getAsString()).isEqualTo("planned");
        assertThat(plan.getAsJsonArray("wouldApply").get(0).getAsString()).isEqualTo("001_accounts.sql");
    }

    @Test
    void missingFolderFailsNamingTheModuleAndTheFolder() {
        Result missing = cli.run("migrate", "--module", "users", "--path", dir.resolve("nowhere").toString());

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("users - migrations directory").contains("nowhere")
                .contains("does not exist");
    }
}
