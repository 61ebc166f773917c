package io.pgdbm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command that reads settings shares: the environment, the properties file, and where to print. */
abstract class ConfiguredCommand implements Callable<Integer> {

    /** Set by {@link PgdbmCli#run}, so that tests can give an environment of their own. */
    Map<String, String> environment = System.getenv();

    /** Where to ask a person; set by {@link PgdbmCli#run}, so that tests can answer. */
    Terminal terminal = Terminal.NONE;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "properties file with pgdbm.* keys (default: ./pgdbm.properties)")
    Path configFile;

    /** The settings: this command's flags, else those given before the command name, else environment and file. */
    CliConfig config() {
        Path file = configFile != null ? configFile : root() == null ? null : root().configFile;
        return CliConfig.load(file, flags(), environment);
    }

    /** The settings given as flags; none unless the command has such flags. */
    List<CliConfig.Flag> flags() {
        return List.of();
    }

    /** The {@code pgdbm} command this one runs under, for the flags given before the command's name. */
    PgdbmCli root() {
        return spec.root().userObject() instanceof PgdbmCli cli ? cli : null;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
