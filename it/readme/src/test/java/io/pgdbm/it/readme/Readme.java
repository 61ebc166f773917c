package io.pgdbm.it.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README, or a section of it, as the fenced blocks it shows after {@code <!-- ... -->} markers. */
final class Readme {

    /** The repository's root, from this module's folder (where Maven runs its tests). */
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private static final Pattern FILE_MARKER = Pattern.compile("<!-- file: (\\S+) -->");

    private final String name;
    private final List<String> lines;

    private Readme(String name, List<String> lines) {
        this.name = name;
        this.lines = lines;
    }

    static Readme read() {
        try {
            return new Readme("README.md", Files.readAllLines(ROOT.resolve("README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The section under the heading {@code heading} (a whole line, such as {@code ## In four steps}). */
    Readme section(String heading) {
        int start = lines.indexOf(heading);
        if (start < 0 || level(heading) == 0) {
            throw new AssertionError(name + " has no heading '" + heading + "'");
        }
        int end = start + 1;
        boolean fenced = false;
        for (; end < lines.size(); end++) {
            String line = lines.get(end);
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && level(line) > 0 && level(line) <= level(heading)) {
                break;
            }
        }
        return new Readme(name + " section '" + heading + "'", lines.subList(start, end));
    }

    /** The level of a Markdown heading ({@code ## x}: 2); 0 for any other line. */
    private static int level(String line) {
        int hashes = 0;
        while (hashes < line.length() && line.charAt(hashes) == '#') {
            hashes++;
        }
        return hashes > 0 && line.startsWith(" ", hashes) ? hashes : 0;
    }

    /** The text of the fenced block right after the line {@code <!-- marker -->}, which must occur once. */
    String block(String marker) {
        String line = "<!-- " + marker + " -->";
        int at = lines.indexOf(line);
        if (at < 0 || lines.lastIndexOf(line) != at) {
            throw new AssertionError(name + " must have the line " + line + " exactly once");
        }
        return fenced(at + 1, line);
    }

    /** Whether the text outside and inside its blocks contains {@code text}. */
    boolean mentions(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Every block marked {@code <!-- file: path -->}, by path, in the order shown. */
    Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = FILE_MARKER.matcher(lines.get(i));
            if (marker.matches() && files.put(marker.group(1), fenced(i + 1, lines.get(i))) != null) {
                throw new AssertionError(name + " shows " + marker.group(1) + " twice");
            }
        }
        return files;
    }

    /** The block opening at line {@code open}, with a line break after each line (as a file ends). */
    private String fenced(int open, String marker) {
        if (open >= lines.size() || !lines.get(open).startsWith("```")) {
            throw new AssertionError(name + ": the line after " + marker + " must open a fenced block");
        }
        List<String> block = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i) + "\n");
        }
        return String.join("", block);
    }
}
