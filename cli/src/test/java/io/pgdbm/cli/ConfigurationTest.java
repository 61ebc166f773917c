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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where settings come from (flags, then the environment under MicroProfile Config's names, then the properties
 * file), and what the file may hold.
 */
class ConfigurationTest {

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

    private Path project(String properties) throws IOException {
        return Files.writeString(dir.resolve("pgdbm.properties"), properties);
    }

    private void migrationIn(String folder, String file, String sql) throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve(folder)).resolve(file), sql);
    }

    private String schemaOf(String table) throws SQLException {
        return cli.query("SELECT table_schema FROM information_schema.tables WHERE table_name = '" + table + "'");
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = project("pgdbm.datasource.url=jdbc:postgresql://127.0.0.1:1/from_file\n");
        cli.environment().put("PGDBM_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:2/from_env");

        assertThat(cli.run("db", "test-connection", "--config", file.toString()).err()).contains("from_env");
        assertThat(cli.run("--url", cli.database().jdbcUrl(), "db", "test-connection", "--config", file.toString())
                .exitCode()).isZero();
        cli.environment().remove("PGDBM_DATASOURCE_URL");
        assertThat(cli.run("db", "test-connection", "--config", file.toString()).err()).contains("from_file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PGDBM_MODULE__USERS__SCHEMA", "PGDBM_MODULE_USERS_SCHEMA"})
    void environmentRenamesAModuleSchemaUnderItsMicroProfileName(String variable) throws Exception {
        migrationIn("db/users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        Path file = project("""
                pgdbm.module."users".migrations=db/users
                pgdbm.module."users".schema=from_file
                """);
        cli.environment().put(variable, "from_env");

        Result migrate = cli.run("migrate", "--config", file.toString());

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(schemaOf("accounts")).isEqualTo("from_env");
    }

    @Test
    void environmentGivesAModuleItsMigrationsFolder() throws Exception {
        migrationIn("elsewhere", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        Path file = project("pgdbm.module.users.migrations=db/not-here\n");
        cli.environment().put("PGDBM_MODULE__USERS__MIGRATIONS", dir.resolve("elsewhere").toString());

        Result migrate = cli.run("migrate", "--config", file.toString());

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(schemaOf("accounts")).isEqualTo("users");
    }

    @Test
    void moduleWithMigrateFalseIsSkippedAsTheExtensionSkipsIt() throws Exception {
        migrationIn("db/users", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        migrationIn("db/audit", "001_events.sql", "CREATE TABLE {{tables.events}} (id int);");
        Path file = project("""
                pgdbm.module."users".migrations=db/users
                pgdbm.module."users".migrate=false
                pgdbm.module."audit".migrations=db/audit
                """);

        Result migrate = cli.run("migrate", "--config", file.toString());
        Result alone = cli.run("migrate", "--config", file.toString(), "--module", "users");

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("users: not migrated: pgdbm.module.\"users\".migrate is false\n")
                .contains("audit: 1 applied");
        assertThat(alone.out()).isEqualTo("users: not migrated: pgdbm.module.\"users\".migrate is false\n");
        assertThat(schemaOf("events")).isEqualTo("audit");
        assertThat(schemaOf("accounts")).isNull();

        cli.environment().put("PGDBM_MODULE__USERS__MIGRATE", "true");
        assertThat(cli.run("migrate", "--config", file.toString()).out()).contains("users: 1 applied");
        assertThat(schemaOf("accounts")).isEqualTo("users");
    }

    @Test
    void misspeltKeyFailsNamingTheKeyTheFileAndTheValidKeys() throws IOException {
        Path file = project("""
                app.name=the application's own settings are not pgdbm's business
                pgdbm.module."users".migrations=db/users
                pgdbm.module."orders".migrations=db/orders
                pgdbm.module."orders".dependsOn=users
                """);

        Result misspelt = cli.run("migrate", "--config", file.toString());

        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Unknown pgdbm setting pgdbm.module.\"orders\".dependsOn (in "
                        + file.toAbsolutePath() + "; did you mean pgdbm.module.\"orders\".depends-on?); fix or remove "
                        + "it.")
                .contains("Valid keys: pgdbm.datasource.url, ")
                .contains("pgdbm.pool.max-size").contains("pgdbm.migrate.allow-changed")
                .contains("pgdbm.module.\"<name>\".migrations").contains("pgdbm.module.\"<name>\".depends-on")
                .contains("pgdbm.module.\"<name>\".migrate").doesNotContain("app.name");
    }

    @Test
    void misspeltDatasourceKeyIsNamedWithTheKeyItResembles() throws IOException {
        Path file = project("pgdbm.pool.max-sise=4\npgdbm.datasource.URL=jdbc:postgresql://localhost/app\n");

        Result misspelt = cli.run("db", "info", "--config", file.toString());

        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Unknown pgdbm settings pgdbm.datasource.URL (in " + file.toAbsolutePath()
                + "; did you mean pgdbm.datasource.url?), pgdbm.pool.max-sise (in " + file.toAbsolutePath()
                + "; did you mean pgdbm.pool.max-size?); fix or remove them.");
    }

    @Test
    void misspeltEnvironmentVariableIsNamedAsItWasSet() {
        cli.environment().put("PGDBM_POOL_MAXSIZE", "4");
        cli.environment().put("PGDBM_MODULE__USERS__SCHEME", "people");
        cli.environment().put("PGDBM_POOL_MAX_SIZE", "4");
        cli.environment().put("PGDBM_MODULE__USERS__SCHEMA", "people");
        cli.environment().put("PGDBM_TEST_URL", "jdbc:postgresql://localhost/postgres");

        Result misspelt = cli.run("db", "info");

        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).startsWith("pgdbm: Unknown pgdbm settings PGDBM_MODULE__USERS__SCHEME (environment "
                + "variable; did you mean PGDBM_MODULE__USERS__SCHEMA?), PGDBM_POOL_MAXSIZE (environment variable; did "
                + "you mean PGDBM_POOL_MAX_SIZE, which sets pgdbm.pool.max-size?); fix or remove them. Valid keys: ")
                .contains("in the environment, each in upper case with _ for every other character")
                .doesNotContain("PGDBM_TEST_URL (").doesNotContain("PGDBM_POOL_MAX_SIZE (");
    }

    @Test
    void unsetVariableFailsNamingTheKeyTheFileAndTheVariable() throws IOException {
        Path file = project("pgdbm.datasource.url=${PGDBM_CLI_TEST_NOT_SET}\n");
        cli.environment().remove("PGDBM_DATASOURCE_URL");

        Result unset = cli.run("db", "info", "--config", file.toString());

        assertThat(unset.exitCode()).isEqualTo(2);
        assertThat(unset.err()).contains("pgdbm.datasource.url in " + file + " uses ${PGDBM_CLI_TEST_NOT_SET}, "
                + "which is not set in the environment; set PGDBM_CLI_TEST_NOT_SET, or write $${ for a literal ${");
    }

    @Test
    void doubledDollarIsALiteralDollarBrace() throws Exception {
        migrationIn("db/${literally}", "001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int);");
        Path file = project("pgdbm.module.users.migrations=db/$${literally}\n");

        Result migrate = cli.run("migrate", "--config", file.toString());

        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(schemaOf("accounts")).isEqualTo("users");
    }

    @Test
    void dollarBraceThatIsNoReferenceFailsSayingHowToWriteALiteralOne() throws IOException {
        Path file = project("pgdbm.module.users.migrations=db/${not a name}\n");

        Result bad = cli.run("migrate", "--config", file.toString());

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("pgdbm.module.users.migrations in " + file + " has a '${' that does not "
                + "start a ${NAME} reference (letters, digits and _); write $${ for a literal ${");
    }

    @Test
    void malformedValueSaysWhereItWasSet() {
        Result fromFlag = cli.run("db", "info", "--url", "jdbc:postgresql://localhost:abc/app");
        cli.environment().put("PGDBM_POOL_MAX_SIZE", "lots");
        Result fromEnvironment = cli.run("db", "info");

        assertThat(fromEnvironment.exitCode()).isEqualTo(2);
        assertThat(fromEnvironment.err()).contains("pgdbm.pool.max-size = 'lots' is not a whole number "
                + "(pgdbm.pool.max-size from environment variable PGDBM_POOL_MAX_SIZE)");
        assertThat(fromFlag.exitCode()).isEqualTo(2);
        assertThat(fromFlag.err()).contains("port 'abc' in 'localhost:abc' is not a number "
                + "(pgdbm.datasource.url given by --url)");
    }

    @Test
    void dependencyOnAModuleTheFileDoesNotListFailsSayingWhatToAdd() throws IOException {
        Path file = project("""
                pgdbm.module."orders".migrations=db/orders
                pgdbm.module."orders".depends-on=users
                """);

        Result unknown = cli.run("migrate", "--config", file.toString());

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("pgdbm.module.\"orders\".depends-on in " + file + " names module users, "
                + "which " + file + " does not list (modules: [orders]); add pgdbm.module.\"users\".migrations or "
                + "remove users from it");
    }

    @Test
    void modulesThatDependOnEachOtherFailNamingTheCycle() throws IOException {
        Path file = project("""
                pgdbm.module.a.migrations=db/a
                pgdbm.module.a.depends-on=b
                pgdbm.module.b.migrations=db/b
                pgdbm.module.b.depends-on=a
                """);

        Result cycle = cli.run("status", "--config", file.toString());

        assertThat(cycle.exitCode()).isEqualTo(2);
        assertThat(cycle.err()).contains("in a cycle: a -> b -> a").contains("depends-on");
    }
}
