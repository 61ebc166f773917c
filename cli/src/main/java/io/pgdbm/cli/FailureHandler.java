package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.PgdbmException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a failed run ends: one line (or the message's own lines) on stderr saying what failed and how to fix it, and the
 * exit code. 1 for a failure; 2 for bad usage: a flag picocli cannot parse, a missing or malformed setting
 * ({@link ConfigurationException}), or a command refusing its arguments ({@link ParameterException}). The stack trace
 * only with {@code --verbose}.
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final int FAILURE = CommandLine.ExitCode.SOFTWARE;
    static final int USAGE = CommandLine.ExitCode.USAGE;

    /** {@code postgresql://user:secret@host}: from the colon to the last {@code @} before the path. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^:/@?#]*:)[^/?#]*@");
    /** {@code ?password=secret&...}: the parameter's value. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (exception instanceof PgdbmException) {
            // pgdbm's messages say what failed and how to fix it; the exception's type adds nothing for a person.
            err.println("pgdbm: " + exception.getMessage());
        } else {
            err.println("pgdbm: " + oneLine(exception) + " (unexpected " + exception.getClass().getSimpleName()
                    + (isVerbose(commandLine) ? ")" : "; run again with --verbose for the stack trace)"));
        }
        if (isVerbose(commandLine)) {
            exception.printStackTrace(err);
        }
        err.flush();
        return exception instanceof ConfigurationException ? USAGE : FAILURE;
    }

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        if (exception instanceof UnmatchedArgumentException unmatched) {
            err.println("pgdbm: " + describe(unmatched.getUnmatched()));
            UnmatchedArgumentException.printSuggestions(unmatched, err);
        } else {
            err.println("pgdbm: " + exception.getMessage());
        }
        if (commandLine.getSubcommands().isEmpty() || exception instanceof UnmatchedArgumentException) {
            err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for "
                    + (commandLine.getSubcommands().isEmpty() ? "its options." : "its commands and options."));
        } else {
            // A group of commands (pgdbm, pgdbm db) was given none: show them.
            commandLine.usage(err);
        }
        if (isVerbose(commandLine)) {
            exception.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    /**
     * The arguments picocli could not match, without the values that follow an unknown option: in
     * {@code --pasword s3cret} the value is likely a secret, so it is counted, never shown.
     */
    static String describe(List<String> unmatched) {
        List<String> options = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        int hidden = 0;
        boolean afterOption = false;
        for (String argument : unmatched) {
            if (argument.startsWith("-")) {
                int equals = argument.indexOf('=');
                options.add("'" + (equals < 0 ? argument : argument.substring(0, equals)) + "'");
                hidden += equals < 0 ? 0 : 1;
                afterOption = equals < 0;
            } else if (afterOption) {
                hidden++;
                afterOption = false;
            } else {
                arguments.add("'" + redact(argument) + "'");
            }
        }
        List<String> parts = new ArrayList<>();
        if (!options.isEmpty()) {
            parts.add((options.size() == 1 ? "Unknown option " : "Unknown options ") + String.join(", ", options));
        }
        if (!arguments.isEmpty()) {
            parts.add((arguments.size() == 1 ? "unexpected argument " : "unexpected arguments ")
                    + String.join(", ", arguments));
        }
        String text = String.join("; ", parts);
        if (hidden == 1) {
            text += " (the value given to it is not shown, in case it is a secret)";
        } else if (hidden > 1) {
            text += " (the " + hidden + " values given to them are not shown, in case they are secrets)";
        }
        return text.isEmpty() ? "Unexpected arguments" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The text with the password of a URL in it ({@code user:secret@}, {@code password=secret}) masked. */
    private static String redact(String text) {
        String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1****@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1****");
    }

    private static String oneLine(Exception exception) {
        String message = exception.getMessage();
        if (message == null || message.isBlank()) {
            return exception.getClass().getName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean isVerbose(CommandLine commandLine) {
        return commandLine.getCommandSpec().root().userObject() instanceof PgdbmCli root && root.verbose;
    }
}
