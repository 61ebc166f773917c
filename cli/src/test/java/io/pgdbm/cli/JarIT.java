package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged {@code pgdbm.jar} as a real process: migrate, status, the exit codes, db drop, and dev. */
class JarIT {

    private static final Path JAR = Path.of(System.getProperty("pgdbm.cli.jar", "target/pgdbm.jar"));
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private static final Path LAUNCHER = Path.of(System.getProperty("pgdbm.cli.launcher", "pgdbm"));
    private static final String SECRET = "Sekr1t-for-the-jar";

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    private final PgdbmTestServer server = cli.server();

    @TempDir
    Path dir;

    /** What the process printed and returned. */
    record Outcome(int exitCode, String out, String err) {

        String all() {
            return out + err;
        }
    }

    /** The environment that points {@code pgdbm} at a database of the test server, as its user. */
    private Map<String, String> environmentFor(PgdbmTestServer.Database database) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
        environment.put("PGDBM_DATASOURCE_USERNAME", server.username());
        if (server.password() != null) {
            environment.put("PGDBM_DATASOURCE_PASSWORD", server.password());
        }
        return environment;
    }

    private Outcome pgdbm(PgdbmTestServer.Database database, String... args) throws Exception {
        return pgdbm(environmentFor(database), javaHome(), null, args);
    }

    /** Runs the jar with this Java, environment and input (none when {@code null}). */
    private Outcome pgdbm(Map<String, String> environment, Path javaHome, String input, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java(javaHome), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(command, environment, input);
    }

    private Outcome run(List<String> command, Map<String, String> environment, String input) throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), input == null ? "" : input);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PGDBM_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Outcome(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static String java(Path javaHome) {
        return javaHome.resolve("bin").resolve("java").toString();
    }

    /**
     * The Java running the tests, and every JDK 22 or later installed beside it: from 22 on, {@code System.console()}
     * is there even when input is piped, which {@code db drop} must not take for a person typing.
     */
    static Stream<Path> javaHomes() throws IOException {
        Set<Path> homes = new LinkedHashSet<>(List.of(javaHome().toRealPath()));
        Path parent = javaHome().toRealPath().getParent();
        if (parent != null) {
            try (Stream<Path> siblings = Files.list(parent)) {
                for (Path sibling : siblings.toList()) {
                    Path release = sibling.resolve("release");
                    if (Files.isExecutable(sibling.resolve("bin").resolve("java")) && Files.isRegularFile(release)) {
                        Matcher version = JAVA_VERSION.matcher(Files.readString(release));
                        if (version.find() && Integer.parseInt(version.group(1)) >= 22) {
                            homes.add(sibling.toRealPath());
                        }
                    }
                }
            }
        }
        return homes.stream();
    }

    private boolean exists(PgdbmTestServer.Database database) throws SQLException {
        try (Connection connection = server.dataSource(database.name()).getConnection()) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void jarMigratesReportsStatusAndExitsWithTheRightCodes() throws Exception {
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int);");
        PgdbmTestServer.Database database = cli.database();

        Outcome migrate = pgdbm(database, "migrate", "--module", "users", "--path", users.toString());
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("users: applied 001_accounts.sql (");

        Outcome status = pgdbm(database, "status", "--module", "users", "--path", users.toString(), "--json");
        assertThat(status.out()).contains("\"state\":\"applied\"");

        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id bigint);");
        Outcome changed = pgdbm(database, "migrate", "--module", "users", "--path", users.toString());
        assertThat(changed.exitCode()).isEqualTo(1);
        assertThat(changed.err()).contains("001_accounts.sql was changed after it was applied");

        assertThat(pgdbm(database, "migrate", "--no-such-flag").exitCode()).isEqualTo(2);
        Outcome noUrl = pgdbm(Map.of(), javaHome(), null, "status", "--module", "users", "--path", users.toString());
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.err()).contains("No database given: pass --url, or set PGDBM_DATASOURCE_URL");
    }

    @Test
    void jarNeverPrintsThePasswordItConnectsWith() throws Exception {
        String role = cli.roleWithPassword(SECRET);
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int);");
        String target = cli.database().jdbcUrl().substring("jdbc:postgresql://".length());
        String closed = cli.urlOn("127.0.0.1:1").substring("jdbc:postgresql://".length());
        List<Map<String, String>> environments = List.of(
                Map.of("PGDBM_DATASOURCE_URL", "jdbc:postgresql://" + target + "?user=" + role + "&password=" + SECRET),
                Map.of("PGDBM_DATASOURCE_URL", "postgresql://" + role + ":" + SECRET + "@" + target),
                Map.of("PGDBM_DATASOURCE_URL", "jdbc:postgresql://" + target, "PGDBM_DATASOURCE_USERNAME", role,
                        "PGDBM_DATASOURCE_PASSWORD", SECRET));
        for (Map<String, String> environment : environments) {
            for (String[] args : List.of(new String[] {"db", "test-connection"},
                    new String[] {"migrate", "--module", "users", "--path", users.toString()},
                    new String[] {"status", "--module", "users", "--path", users.toString(), "--json"},
                    new String[] {"db", "info"})) {
                Outcome outcome = pgdbm(environment, javaHome(), null, args);

                assertThat(outcome.exitCode()).as("%s: %s", List.of(args), outcome.err()).isZero();
                assertThat(outcome.all()).doesNotContain(SECRET);
                if (args[1].equals("test-connection")) {
                    assertThat(outcome.out()).as("the role the URL names").contains("connected as " + role + "@");
                }
            }
        }
        for (String url : List.of("jdbc:postgresql://" + closed + "?user=" + role + "&password=" + SECRET,
                "postgresql://" + role + ":" + SECRET + "@" + closed)) {
            Outcome failed = pgdbm(Map.of(), javaHome(), null, "migrate", "--module", "users", "--path",
                    users.toString(), "--url", url, "--verbose");

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.err()).contains("could not connect to 127.0.0.1:1/").contains("\tat ");
            assertThat(failed.all()).doesNotContain(SECRET);
        }
    }

    @Test
    void launcherScriptRunsTheJarAndPassesItsExitCode() throws Exception {
        Map<String, String> environment = Map.of("JAVA_HOME", javaHome().toString());

        Outcome version = run(List.of("bash", LAUNCHER.toString(), "--version"), environment, null);
        Outcome help = run(List.of("bash", LAUNCHER.toString(), "--help"), environment, null);
        Outcome usage = run(List.of("bash", LAUNCHER.toString(), "migrate", "--no-such-flag"), environment, null);

        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).isEqualTo("pgdbm 0.1.0-SNAPSHOT\n");
        HelpTest.assertListsEveryCommandOnOneLine(help.out());
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void launcherWithoutTheJarSaysHowToBuildIt() throws Exception {
        Path alone = Files.copy(LAUNCHER, Files.createDirectories(dir.resolve("bin")).resolve("pgdbm"));

        Outcome missing = run(List.of("bash", alone.toString(), "--version"), Map.of(), null);

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains(dir.resolve("bin/target/pgdbm.jar") + " is missing; build it with: "
                + "mvn -q -pl cli -am package -DskipTests");
    }

    @Test
    void jarHelpListsEveryCommandWithAOneLineDescription() throws Exception {
        Outcome help = pgdbm(Map.of(), javaHome(), null, "--help");

        assertThat(help.exitCode()).as(help.err()).isZero();
        HelpTest.assertListsEveryCommandOnOneLine(help.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaHomes")
    void dropRefusesTheNamePipedInAsNoOneIsThereToConfirm(Path javaHome) throws Exception {
        try (PgdbmTestServer.Database database = server.newDatabase()) {
            Outcome piped = pgdbm(environmentFor(database), javaHome, database.name() + "\n", "db", "drop");

            assertThat(piped.exitCode()).as(piped.err()).isEqualTo(2);
            assertThat(piped.err()).contains("Not dropping database " + database.name() + ": there is no terminal to "
                    + "confirm on; pass --yes to drop it");
            assertThat(exists(database)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaHomes")
    void dropAtARealTerminalAsksForTheNameAndDropsOnlyWhenItIsTyped(Path javaHome) throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "script(1) from util-linux gives the jar a terminal");
        try (PgdbmTestServer.Database database = server.newDatabase()) {
            Outcome wrongName = atTerminal(database, javaHome, "something else\n");
            assertThat(wrongName.exitCode()).as(wrongName.out()).isEqualTo(1);
            assertThat(wrongName.out()).contains("Type its name to confirm:")
                    .contains("Not dropped: the name typed did not match " + database.name());
            assertThat(exists(database)).isTrue();

            Outcome rightName = atTerminal(database, javaHome, database.name() + "\n");
            assertThat(rightName.exitCode()).as(rightName.out()).isZero();
            assertThat(rightName.out()).contains("dropped database " + database.name());
            assertThat(exists(database)).isFalse();
        }
    }

    /** {@code pgdbm db drop} under script(1), whose pseudo-terminal makes it a terminal that reads {@code typed}. */
    private Outcome atTerminal(PgdbmTestServer.Database database, Path javaHome, String typed) throws Exception {
        String command = quote(java(javaHome)) + " -jar " + quote(JAR.toString()) + " db drop";
        return run(List.of("/usr/bin/script", "-qec", command, "/dev/null"), environmentFor(database), typed);
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Test
    void devRunsAnEmbeddedServerUntilStopped() throws Exception {
        Process dev = new ProcessBuilder(java(javaHome()), "-jar", JAR.toString(), "dev")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
                dev.getInputStream(), StandardCharsets.UTF_8))) {
            String url = null;
            for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
                int start = line.indexOf("jdbc:postgresql://");
                if (start >= 0) {
                    url = line.substring(start, line.lastIndexOf('\''));
                }
            }
            assertThat(url).as("the URL dev prints").isNotNull().doesNotContain("password");
            try (Connection connection = DriverManager.getConnection(url);
                    ResultSet row = connection.createStatement().executeQuery("SELECT 1")) {
                assertThat(row.next()).isTrue();
            }

            dev.destroy();

            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("dev stopped on SIGTERM").isTrue();
            String stopped = url;
            assertThatThrownBy(() -> DriverManager.getConnection(stopped)).isInstanceOf(SQLException.class);
        } finally {
            dev.destroyForcibly();
        }
    }
}
