package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.cli.CliRunner.Result;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pgdbm --help}: every command, each with a one-line description. */
class HelpTest {

    /** Every command the issue asks for, in the order the help lists them. */
    static final List<String> COMMANDS = List.of("migrate", "status", "validate", "repair", "new", "db create",
            "db drop", "db info", "db test-connection", "schema list", "dev", "help");

    @RegisterExtension
    final CliRunner cli = new CliRunner();

    /**
     * Asserts that the help lists exactly {@link #COMMANDS}, each at the start of its own line with its description on
     * that line, none wrapped onto the next, and that no line is wider than 80 columns.
     */
    static void assertListsEveryCommandOnOneLine(String help) {
        List<String> lines = help.lines().toList();
        assertThat(lines).as("help lines").allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
        int heading = lines.indexOf("Commands:");
        assertThat(heading).as("the Commands: heading in%n%s", help).isNotNegative();
        List<String> listed = lines.subList(heading + 1, lines.size()).stream()
                .takeWhile(line -> line.startsWith("  ")).toList();
        assertThat(listed).hasSameSizeAs(COMMANDS);
        for (int i = 0; i < COMMANDS.size(); i++) {
            assertThat(listed.get(i)).as("line of %s", COMMANDS.get(i))
                    .matches("  " + Pattern.quote(COMMANDS.get(i)) + " {2,}[A-Z][^ ].*[.)]");
        }
    }

    @Test
    void helpListsEveryCommandWithAOneLineDescription() {
        Result help = cli.run("--help");

        assertThat(help.exitCode()).isZero();
        assertListsEveryCommandOnOneLine(help.out());
        assertThat(help.out()).contains("  db drop             Drop the database the URL names (asks unless --yes).")
                .endsWith("Exit codes: 0 success, 1 failure, 2 bad usage or configuration.\n");
    }

    @Test
    void helpCommandShowsTheSameList() {
        assertListsEveryCommandOnOneLine(cli.run("help").out());
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command : COMMANDS) {
            Result help = cli.run((command + " --help").split(" "));

            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: pgdbm " + command + " [");
        }
    }

    @Test
    void groupHelpListsItsCommandsOnOneLineEach() {
        Result db = cli.run("db", "--help");

        assertThat(db.out()).containsPattern("(?m)^  create +Create the database the URL names\\.$")
                .containsPattern("(?m)^  drop +Drop the database the URL names \\(asks unless --yes\\)\\.$")
                .containsPattern("(?m)^  info +Show the server, size, schemas and connections\\.$")
                .containsPattern("(?m)^  test-connection +Connect, run SELECT 1, and say how long it took\\.$");
    }
}
