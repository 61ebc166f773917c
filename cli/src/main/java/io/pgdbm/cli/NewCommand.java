package io.pgdbm.cli;

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

/**
 * {@code pgdbm new users "add email index"}: the next migration file of a module, numbered and named safely. It
 * writes a file and reads the properties file for the module's folder; it never connects, so it takes no URL.
 */
@Command(name = "new", description = {"Create the next numbered migration file of a module.",
    "Numbered after the newest file, named after the description, with a header comment; migrate refuses it until it "
        + "holds a statement."})
final class NewCommand extends ConfiguredCommand {

    private static final Pattern NUMBERED = Pattern.compile("V?(\\d+)_{1,2}.*\\.sql");
    private static final int MAX_SLUG = 60;

    @Parameters(index = "0", description = "the module")
    String module;

    @Parameters(index = "1", description = "what the migration does, e.g. \"add email index\"")
    String description;

    @Option(names = "--path", description = "the migrations folder (default: the module's, from pgdbm.properties)")
    Path path;

    @Override
    public Integer call() {
        Path folder = path != null ? path : config().migrations(module);
        String slug = slug(description);
        if (slug.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "The description '" + singleLine(description)
                    + "' has no letters or digits to name the file with");
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
            // Only comments: migrate refuses a file without a statement, so it cannot be applied (and recorded)
            // before the SQL is written into it.
            Files.writeString(file, "-- " + singleLine(description) + "\n-- Module " + singleLine(module)
                    + ", created " + LocalDate.now() + ". Write {{tables.name}} for this module's tables.\n"
                    + "-- Write the SQL below: until this file holds a statement, migrate refuses it.\n\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            out().println(file);
        } catch (IOException e) {
            throw new CommandFailedException("Cannot write the migration in " + folder + ": " + e, e);
        }
        return 0;
    }

    /** The file name part: lower-case letters and digits, runs of anything else as one {@code _}, at most 60. */
    static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.length() <= MAX_SLUG ? slug : slug.substring(0, MAX_SLUG).replaceAll("_+$", "");
    }

    /**
     * The text on one line, for a {@code --} comment: a line break in it would end the comment and put the rest of
     * the description into the SQL.
     */
    static String singleLine(String text) {
        return text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
    }
}
