package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password given inside the URL, in either form, never appears in anything the command prints: not on success, not
 * when the connection fails, not when the URL is malformed or contradicted, not with {@code --verbose}.
 */
class SecretsTest {

    private static final String SECRET = "Sekr1t-in-the-url";

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @TempDir
    Path dir;

    private String role;
    private Path users;

    /** The two ways a URL carries a password. */
    enum Form {
        JDBC_PARAMETERS, LIBPQ_USER_INFO;

        String url(String hostPortDatabase, String user) {
            return this == JDBC_PARAMETERS
                    ? "jdbc:postgresql://" + hostPortDatabase + "?user=" + user + "&password=" + SECRET
                    : "postgresql://" + user + ":" + SECRET + "@" + hostPortDatabase;
        }
    }

    static Stream<Form> forms() {
        return Stream.of(Form.values());
    }

    @BeforeEach
    void roleAndModule() throws SQLException, IOException {
        role = cli.roleWithPassword(SECRET);
        // The URL carries the credentials; a user or password set beside it would contradict it.
        cli.environment().remove("PGDBM_DATASOURCE_URL");
        cli.environment().remove("PGDBM_DATASOURCE_USERNAME");
        cli.environment().remove("PGDBM_DATASOURCE_PASSWORD");
        users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int);");
    }

    /** {@code host:port/database} of the test database, or of another database or port. */
    private String target(String hostAndPort, String database) {
        String url = hostAndPort == null ? cli.database().jdbcUrl() : cli.urlOn(hostAndPort);
        String path = url.substring("jdbc:postgresql://".length());
        return database == null ? path : path.substring(0, path.indexOf('/') + 1) + database;
    }

    private static void assertSecretNeverPrinted(Result result) {
        assertThat(result.all()).as("everything printed").doesNotContain(SECRET);
    }

    @ParameterizedTest
    @MethodSource("forms")
    void everyCommandThatConnectsKeepsThePasswordToItself(Form form) {
        String url = form.url(target(null, null), role);
        List<List<String>> commands = List.of(
                List.of("migrate", "--module", "users", "--path", users.toString()),
                List.of("migrate", "--module", "users", "--path", users.toString(), "--dry-run", "--json"),
                List.of("status", "--module", "users", "--path", users.toString()),
                List.of("status", "--module", "users", "--path", users.toString(), "--json"),
                List.of("validate", "--module", "users", "--path", users.toString()),
                List.of("repair", "--module", "users", "--path", users.toString()),
                List.of("db", "info"),
                List.of("db", "test-connection"),
                List.of("schema", "list"));
        for (List<String> command : commands) {
            Result result = cli.run(Stream.concat(command.stream(), Stream.of("--url", url)).toArray(String[]::new));

            assertThat(result.exitCode()).as("%s: %s", command, result.err()).isZero();
            assertSecretNeverPrinted(result);
        }
        assertThat(cli.run("db", "test-connection", "--url", url).out()).contains("connected as " + role + "@");
    }

    /** A closed port, and a database that does not exist (which the role, without CREATEDB, cannot create either). */
    @ParameterizedTest
    @MethodSource("forms")
    void failedConnectionKeepsThePasswordToItself(Form form) {
        for (String url : List.of(form.url(target("127.0.0.1:1", null), role),
                form.url(target(null, "no_such_database"), role))) {
            for (List<String> command : List.of(List.of("db", "test-connection"), List.of("db", "info", "--verbose"),
                    List.of("migrate", "--module", "users", "--path", users.toString(), "--json"),
                    List.of("db", "create", "--verbose"), List.of("db", "drop", "--yes"))) {
                Result result = cli.run(Stream.concat(command.stream(), Stream.of("--url", url))
                        .toArray(String[]::new));

                assertThat(result.exitCode()).as("%s %s", command, url.replace(SECRET, "****")).isEqualTo(1);
                assertThat(result.err()).startsWith("pgdbm: ");
                assertSecretNeverPrinted(result);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("forms")
    void passwordContradictedByTheEnvironmentIsNamedButNotShown(Form form) {
        cli.environment().put("PGDBM_DATASOURCE_PASSWORD", "the-other-secret");

        Result result = cli.run("db", "info", "--url", form.url(target(null, null), role));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("pgdbm.datasource.password differs from the one in pgdbm.datasource.url")
                .doesNotContain("the-other-secret");
        assertSecretNeverPrinted(result);
    }

    @ParameterizedTest
    @MethodSource("malformedUrls")
    void malformedUrlWithAPasswordIsRejectedWithoutShowingIt(String url) {
        Result result = cli.run("db", "info", "--url", url, "--verbose");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("pgdbm.datasource.url");
        assertSecretNeverPrinted(result);
    }

    static Stream<String> malformedUrls() {
        return Stream.of("jdbc:mysql://app:" + SECRET + "@localhost/app",
                "jdbc:postgresql://app:" + SECRET + "@localhost/app",
                "postgresql://app:" + SECRET + "@localhost:port/app");
    }

    @ParameterizedTest
    @MethodSource("misplacedPasswords")
    void passwordGivenToAnOptionThatDoesNotExistIsNotEchoed(List<String> args) {
        Result result = cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option '--pas");
        assertSecretNeverPrinted(result);
    }

    static Stream<List<String>> misplacedPasswords() {
        return Stream.of(List.of("db", "info", "--pasword", SECRET),
                List.of("db", "info", "--pasword=" + SECRET),
                List.of("new", "users", "accounts", "--password", SECRET),
                List.of("migrate", "--pass", SECRET, "--url", "postgresql://app:" + SECRET + "@localhost/app"));
    }
}
