package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code pgdbm new users "add email index"}: the next migration file of a module, numbered and named safely. */
@Command(name = "new", description = "Create the next migration file of a module: numbered, safely named, with a "
        + "header.")
final class NewCommand extends DatabaseCommand {

    private static final Pattern NUMBERED = Pattern.compile("V?(\\d+)_{1,2}.*\\.sql");

    @Parameters(index = "0", description = "the module")
    String module;

    @Parameters(index = "1", description = "what the migration does, e.g. \"add email index\"")
    String description;

    @Option(names = "--path", description = "the migrations folder (default: the module's, from pgdbm.properties)")
    Path path;

    @Override
    public Integer call() {
        Path folder = path;
        if (folder == null) {
            folder = config().modules().stream().filter(spec -> spec.name().equals(module)).findFirst()
                    .map(ModuleSpec::migrations).orElseThrow(() -> new ConfigurationException("--path", "No "
                            + "folder for module " + module + ": pass --path, or set pgdbm.module.\"" + module
                            + "\".migrations in pgdbm.properties"));
        }
        String slug = description.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "The description '" + description + "' has no "
                    + "letters or digits to name the file with");
        }
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("_+$", "");
        }
        try {
            Files.createDirectories(folder);
            long last = 0;
            int width = 3;
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher matcher = NUMBERED.matcher(file.getFileName().toString());
                    if (matcher.matches()) {
                        last = Math.max(last, Long.parseLong(matcher.group(1)));
                        width = Math.max(width, matcher.group(1).length());
                    }
                }
            }
            String number = String.format("%0" + width + "d", last + 1);
            Path file = folder.resolve(number + "_" + slug + ".sql");
            Files.writeString(file, "-- " + description.strip() + "\n-- Module " + module + ", created "
                    + LocalDate.now() + ". Write {{tables.name}} for this module's tables.\n\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            out().println(file);
        } catch (IOException e) {
            throw new CommandFailedException("Cannot write the migration in " + folder + ": " + e, e);
        }
        return 0;
    }
}
