package io.pgdbm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code pgdbm} command. Exit codes: 0 success, 1 failure (the reason on stderr), 2 bad usage or configuration
 * ({@link FailureHandler}).
 *
 * <pre>
 * pgdbm --url jdbc:postgresql://localhost/app migrate --module users --path db/users
 * pgdbm migrate --url jdbc:postgresql://localhost/app --module users --path db/users    # the same
 * pgdbm status --json                      # every module of ./pgdbm.properties
 * pgdbm db test-connection
 * </pre>
 */
@Command(name = "pgdbm", version = "pgdbm 0.1.0-SNAPSHOT",
        mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, // -h and -V on every command
        description = "Per-module PostgreSQL migrations and databases, from a terminal or a CI pipeline.",
        footer = "%nExit codes: 0 success, 1 failure, 2 bad usage or configuration.",
        subcommands = {MigrateCommand.class, MigrationCommands.Status.class,
            MigrationCommands.Validate.class, MigrationCommands.Repair.class, NewCommand.class, DbCommands.class,
            SchemaCommands.class, DevCommand.class, CommandLine.HelpCommand.class})
public final class PgdbmCli {

    @Option(names = "--url", description = "JDBC URL (or postgresql://user@host/db); else PGDBM_DATASOURCE_URL or "
            + "pgdbm.datasource.url in the properties file")
    String url;

    @Option(names = "--username", description = "user name (else PGDBM_DATASOURCE_USERNAME or the file)")
    String username;

    @Option(names = "--password", description = "password (better: PGDBM_DATASOURCE_PASSWORD); never printed")
    String password;

    @Option(names = "--config", description = "properties file with pgdbm.* keys (default: ./pgdbm.properties)")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "on a failure, print the stack trace too")
    boolean verbose;

    private PgdbmCli() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), SystemTerminal.current(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), args));
    }

    /** Runs the command with this environment, terminal and streams; returns the exit code. */
    static int run(Map<String, String> environment, Terminal terminal, PrintWriter out, PrintWriter err,
            String... args) {
        CommandLine commandLine = new CommandLine(new PgdbmCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K created = CommandLine.defaultFactory().create(type);
                if (created instanceof ConfiguredCommand command) {
                    command.environment = environment;
                    command.terminal = terminal;
                }
                return created;
            }
        });
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandList());
        commandLine.setOut(out);
        commandLine.setErr(err);
        FailureHandler failures = new FailureHandler();
        commandLine.setExecutionExceptionHandler(failures);
        commandLine.setParameterExceptionHandler(failures);
        return commandLine.execute(args);
    }
}
