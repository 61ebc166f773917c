package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Resolves a module's migration files: every {@code *.sql} directly in its folder, on the classpath (directories and
 * jars alike) or on the filesystem, named {@code NNN_description.sql} or {@code VNNN__description.sql}, in numeric
 * order of their version. A name that fits neither form, two files with one version, an empty file, a file that is not
 * UTF-8, and a folder that does not exist are errors that name the file and say how to fix it.
 */
public final class MigrationFiles {

    private static final Pattern NUMBERED = Pattern.compile("(\\d+)_(.+)\\.sql");
    private static final Pattern FLYWAY_STYLE = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final String FORMS = "name it NNN_description.sql (e.g. 001_create_accounts.sql) or "
            + "VNNN__description.sql (e.g. V1__create_accounts.sql)";

    /** From this many files on, a folder's files are read in parallel. */
    private static final int PARALLEL_READ_FROM = 64;

    private MigrationFiles() {
    }

    /**
     * The migrations in a classpath folder such as {@code db/users}. An empty folder name means the module has no
     * migrations.
     *
     * @throws MigrationException when the folder is missing or a file breaks a rule
     */
    public static List<MigrationFile> fromClasspath(String module, String folder, ClassLoader loader) {
        String path = folder.strip().replaceAll("^/+|/+$", "");
        if (path.isEmpty()) {
            return List.of();
        }
        Map<String, Source> files = new LinkedHashMap<>();
        ClasspathFolder.Sink sink = (filename, location, content) -> add(module, filename, location, content, files);
        boolean found = false;
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                found = true;
                if (!ClasspathFolder.list(root, path, sink)) {
                    throw new MigrationException(module, null, module + " - migrations folder " + path + " is at "
                            + root + ", a kind of URL pgdbm cannot list. pgdbm reads directories (file:), folders in "
                            + "archives on disk (jar:, wsjar: or any <scheme>:file:...!/ URL, nested archives too), "
                            + "JBoss VFS (vfs:) and jar connections; keep the migrations in the application's "
                            + "classes or in a jar it ships (WEB-INF/classes, WEB-INF/lib), and please report this "
                            + "server and URL");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new MigrationException(module, null, module + " - cannot list migrations folder " + path
                    + " on the classpath: " + e, e);
        }
        if (!found) {
            throw new MigrationException(module, null, module + " - migrations folder " + path + " is not on the "
                    + "classpath; check the folder name (e.g. src/main/resources/" + path + "), or leave migrations "
                    + "empty when the module has none");
        }
        return resolve(module, files);
    }

    /**
     * The migrations in a directory of the filesystem (the command line's {@code --path}).
     *
     * @throws MigrationException when the directory is missing or a file breaks a rule
     */
    public static List<MigrationFile> fromDirectory(String module, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new MigrationException(module, null, module + " - migrations directory " + directory.toAbsolutePath()
                    + (Files.exists(directory) ? " is not a directory" : " does not exist"));
        }
        Map<String, Source> files = new LinkedHashMap<>();
        try {
            listDirectory(directory, (filename, location, content) -> add(module, filename, location, content, files));
        } catch (IOException e) {
            throw new MigrationException(module, null, module + " - cannot list migrations directory " + directory
                    + ": " + e, e);
        }
        return resolve(module, files);
    }

    /** Every {@code .sql} file directly in {@code directory}. */
    static void listDirectory(Path directory, ClasspathFolder.Sink sink) throws IOException {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(directory)) {
            candidates = entries.filter(file -> {
                String filename = file.getFileName().toString();
                return filename.endsWith(".sql") && !filename.startsWith(".");
            }).sorted().toList();
        }
        // Opening and reading hundreds of small files is most of the cost of a start-up check, and it is system calls,
        // not CPU: with many files, read them on the common pool. A stat per entry would cost a fifth more, so read
        // first and ask what the path is only when reading fails.
        byte[][] contents = new byte[candidates.size()][];
        IOException[] failures = new IOException[candidates.size()];
        IntStream indexes = IntStream.range(0, candidates.size());
        (candidates.size() >= PARALLEL_READ_FROM ? indexes.parallel() : indexes).forEach(i -> {
            try {
                contents[i] = Files.readAllBytes(candidates.get(i));
            } catch (IOException e) {
                failures[i] = e;
            }
        });
        for (int i = 0; i < candidates.size(); i++) {
            Path file = candidates.get(i);
            String filename = file.getFileName().toString();
            if (failures[i] != null) {
                // A folder named like a migration is not one; anything else that cannot be read (a dangling link, a
                // file without read permission) is reported by read() with its name.
                if (Files.isDirectory(file)) {
                    continue;
                }
                IOException failure = failures[i];
                sink.add(filename, file.toString(), () -> {
                    throw failure;
                });
                continue;
            }
            byte[] bytes = contents[i];
            sink.add(filename, file.toString(), () -> bytes);
        }
    }

    private static void add(String module, String filename, String location, ClasspathFolder.Content content,
            Map<String, Source> files) {
        if (!filename.endsWith(".sql") || filename.startsWith(".")) {
            return;
        }
        Source previous = files.put(filename, new Source(location, content));
        if (previous != null) {
            throw new MigrationException(module, filename, module + " - migration " + filename + " is found twice, at "
                    + previous.location + " and at " + location + "; keep one copy on the classpath");
        }
    }

    private static List<MigrationFile> resolve(String module, Map<String, Source> files) {
        List<MigrationFile> resolved = new ArrayList<>();
        MessageDigest sha256 = MigrationFile.sha256();
        for (Map.Entry<String, Source> entry : files.entrySet()) {
            resolved.add(read(module, entry.getKey(), entry.getValue(), sha256));
        }
        resolved.sort(Comparator.comparingLong(MigrationFile::version));
        for (int i = 1; i < resolved.size(); i++) {
            if (resolved.get(i).version() == resolved.get(i - 1).version()) {
                throw new MigrationException(module, resolved.get(i).filename(), module + " - migrations "
                        + resolved.get(i - 1).filename() + " and " + resolved.get(i).filename() + " have the same "
                        + "version " + resolved.get(i).version() + "; give the newer one the next free number");
            }
        }
        return List.copyOf(resolved);
    }

    private static MigrationFile read(String module, String filename, Source source, MessageDigest sha256) {
        Matcher matcher = NUMBERED.matcher(filename);
        if (!matcher.matches()) {
            matcher = FLYWAY_STYLE.matcher(filename);
        }
        if (!matcher.matches()) {
            throw new MigrationException(module, filename, module + " - migration " + filename + " ("
                    + source.location + ") has a name pgdbm cannot order; " + FORMS);
        }
        long version;
        try {
            version = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new MigrationException(module, filename, module + " - migration " + filename + " has a version "
                    + "number too large to order; use at most 18 digits");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(source.content.read()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MigrationException(module, filename, module + " - migration " + filename + " ("
                    + source.location + ") is not valid UTF-8; save it as UTF-8", e);
        } catch (IOException | UncheckedIOException e) {
            throw new MigrationException(module, filename, module + " - cannot read migration " + filename + " ("
                    + source.location + "): " + e, e);
        }
        if (text.isBlank()) {
            throw new MigrationException(module, filename, module + " - migration " + filename + " ("
                    + source.location + ") is empty; write its SQL, or delete the file if it was never applied");
        }
        boolean noTransaction = MigrationFile.isNoTransaction(text);
        if (!noTransaction) {
            int markerLine = MigrationFile.misplacedMarkerLine(text);
            if (markerLine > 0) {
                throw new MigrationException(module, filename, markerLine, module + " - migration " + filename + " ("
                        + source.location + ") has " + MigrationFile.NO_TRANSACTION_MARKER + " on line " + markerLine
                        + ", where pgdbm (Java) does not read it: the marker counts only as the file's first line, "
                        + "exactly. Move it there to run the file statement by statement without a transaction, or "
                        + "delete it", null);
            }
        }
        return new MigrationFile(version, matcher.group(2), filename, text, MigrationFile.checksumOf(text, sha256),
                !noTransaction);
    }

    private record Source(String location, ClasspathFolder.Content content) {
    }
}
