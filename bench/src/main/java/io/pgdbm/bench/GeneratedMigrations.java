package io.pgdbm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The migrations both sides of {@link MigrationBenchmark} apply: {@code count} trivial files, each creating one empty
 * table, in each tool's file naming and placeholder syntax. After expansion both send the same statement per file,
 * {@code CREATE TABLE "<schema>"."t_001" (id int)}, so the files can be applied to any schema.
 *
 * <ul>
 *   <li>pgdbm: {@code 001_t.sql} … {@code 500_t.sql}, {@code CREATE TABLE {{tables.t_001}} (id int);}</li>
 *   <li>Flyway: {@code V1__t.sql} … {@code V500__t.sql},
 *       {@code CREATE TABLE "${flyway:defaultSchema}"."t_001" (id int);}</li>
 * </ul>
 *
 * <p>They are written twice into a temporary directory: as files in {@code pgdbm/} and {@code flyway/}, and packed in
 * {@code migrations.jar} under {@code db/pgdbm/} and {@code db/flyway/}, the way an application ships them.
 */
record GeneratedMigrations(Path root, Path pgdbmDirectory, Path flywayDirectory, Path jar, int count)
        implements AutoCloseable {

    /** The folders inside {@link #jar()}. */
    static final String PGDBM_FOLDER = "db/pgdbm";
    static final String FLYWAY_FOLDER = "db/flyway";

    static GeneratedMigrations write(int count) {
        try {
            Path root = Files.createTempDirectory("pgdbm-migration-bench");
            Path pgdbm = Files.createDirectory(root.resolve("pgdbm"));
            Path flyway = Files.createDirectory(root.resolve("flyway"));
            Path jar = root.resolve("migrations.jar");
            int digits = Math.max(3, Integer.toString(count).length());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                // Directory entries, as a build writes them: class loaders find a folder of a jar only through them.
                for (String folder : List.of("db/", PGDBM_FOLDER + "/", FLYWAY_FOLDER + "/")) {
                    out.putNextEntry(new JarEntry(folder));
                    out.closeEntry();
                }
                for (int i = 1; i <= count; i++) {
                    String table = String.format(Locale.ROOT, "t_%0" + digits + "d", i);
                    String pgdbmName = String.format(Locale.ROOT, "%0" + digits + "d_t.sql", i);
                    String pgdbmText = "CREATE TABLE {{tables." + table + "}} (id int);\n";
                    String flywayName = "V" + i + "__t.sql";
                    String flywayText = "CREATE TABLE \"${flyway:defaultSchema}\".\"" + table + "\" (id int);\n";
                    Files.writeString(pgdbm.resolve(pgdbmName), pgdbmText);
                    Files.writeString(flyway.resolve(flywayName), flywayText);
                    addEntry(out, PGDBM_FOLDER + "/" + pgdbmName, pgdbmText);
                    addEntry(out, FLYWAY_FOLDER + "/" + flywayName, flywayText);
                }
            }
            return new GeneratedMigrations(root, pgdbm, flyway, jar, count);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated migrations to the temporary directory", e);
        }
    }

    private static void addEntry(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    /** Where pgdbm's files are, as a {@code filesystem:} or {@code classpath:} location. */
    String pgdbmLocation(boolean fromJar) {
        return fromJar ? "classpath:" + PGDBM_FOLDER : "filesystem:" + pgdbmDirectory.toAbsolutePath();
    }

    /** Where Flyway's files are, in Flyway's own location syntax. */
    String flywayLocation(boolean fromJar) {
        return fromJar ? "classpath:" + FLYWAY_FOLDER : "filesystem:" + flywayDirectory.toAbsolutePath();
    }

    /** Deletes the files. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e);
        }
    }
}
