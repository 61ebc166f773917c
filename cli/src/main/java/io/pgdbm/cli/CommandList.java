package io.pgdbm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command list of {@code pgdbm --help}: every command, those of a group by their full name ({@code db drop},
 * {@code schema list}), each with the first line of its header or description on the same line. picocli's own list
 * shows the groups only, and wraps a description that does not fit; the descriptions are kept short enough for 80
 * columns instead.
 */
final class CommandList implements IHelpSectionRenderer {

    @Override
    public String render(Help help) {
        List<String[]> rows = new ArrayList<>();
        collect(help.commandSpec(), "", rows);
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            text.append(String.format("  %-" + width + "s  %s%n", row[0], row[1]));
        }
        return text.toString();
    }

    private static void collect(CommandSpec group, String prefix, List<String[]> rows) {
        for (Map.Entry<String, CommandLine> entry : group.subcommands().entrySet()) {
            CommandSpec command = entry.getValue().getCommandSpec();
            if (!entry.getKey().equals(command.name())) {
                continue; // an alias
            }
            if (command.subcommands().isEmpty() || command.helpCommand()) {
                // picocli's own list takes the header first too; its help command has one.
                String[] summary = command.usageMessage().header().length > 0 ? command.usageMessage().header()
                        : command.usageMessage().description();
                rows.add(new String[] {prefix + command.name(), summary.length == 0 ? "" : summary[0]});
            } else {
                collect(command, prefix + command.name() + " ", rows);
            }
        }
    }
}
