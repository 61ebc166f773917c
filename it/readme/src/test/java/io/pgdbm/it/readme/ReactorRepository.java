package io.pgdbm.it.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local Maven repository for the README's projects, as a reader's would be after {@code mvn install -DskipTests}:
 * this build's io.pgdbm artifacts (the parent pom, and the jars the reactor packaged with their poms), and third-party
 * artifacts hard-linked from the build's own local repository, whose io/pgdbm is left out. So a step the README forgets
 * (an artifact it does not name, a version that is not installed) fails here, however warm the build's repository.
 */
final class ReactorRepository {

    /**
     * The modules the README's projects use, each with {@code target/pgdbm-<module>-<version>.jar}; and the command
     * line, whose runnable jar the README runs from the repository.
     */
    private static final List<String> MODULES = List.of("api", "core", "extension", "testing");

    private static Path created;

    private ReactorRepository() {
    }

    /** The repository, made once per JVM in {@code target/readme-repository}. */
    static synchronized Path get() {
        if (created == null) {
            created = create(Path.of("target/readme-repository").toAbsolutePath());
        }
        return created;
    }

    private static Path create(Path repository) {
        String version = required("pgdbm.it.version");
        Path outer = Path.of(required("pgdbm.it.outer-repository")).toAbsolutePath();
        try {
            delete(repository);
            link(outer, repository, outer.resolve("io").resolve("pgdbm"));
            Path group = repository.resolve("io").resolve("pgdbm");
            install(Readme.ROOT.resolve("pom.xml"), group, "pgdbm-parent", version, "pom");
            for (String module : MODULES) {
                Path folder = Readme.ROOT.resolve(module);
                String artifact = "pgdbm-" + module;
                Path jar = folder.resolve("target").resolve(artifact + "-" + version + ".jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: run the build from the repository's root "
                            + "(mvn verify), so the reactor packages " + artifact + " before this module's tests");
                }
                install(folder.resolve("pom.xml"), group, artifact, version, "pom");
                install(jar, group, artifact, version, "jar");
            }
            // The command line, with the runnable jar mvn install puts beside it (classifier "all").
            Path cli = Readme.ROOT.resolve("cli");
            install(cli.resolve("pom.xml"), group, "pgdbm-cli", version, "pom");
            install(cli.resolve("target").resolve("pgdbm-cli-" + version + ".jar"), group, "pgdbm-cli", version,
                    "jar");
            install(cli.resolve("target").resolve("pgdbm.jar"), group, "pgdbm-cli", version + "-all", "jar",
                    version);
            return repository;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: this module's pom sets it "
                    + "for failsafe; run the tests with Maven (mvn verify)");
        }
        return value;
    }

    /** What {@code mvn install} lays out: {@code io/pgdbm/<artifact>/<version>/<artifact>-<version>.<extension>}. */
    private static void install(Path file, Path group, String artifact, String version, String extension)
            throws IOException {
        install(file, group, artifact, version, extension, version);
    }

    /** {@link #install(Path, Path, String, String, String)} of {@code name} ({@code 1.0-all}) in {@code version}'s folder. */
    private static void install(Path file, Path group, String artifact, String name, String extension, String version)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run the build from the repository's root (mvn verify), "
                    + "so the reactor packages it before this module's tests");
        }
        Path folder = group.resolve(artifact).resolve(version);
        Files.createDirectories(folder);
        Files.copy(file, folder.resolve(artifact + "-" + name + "." + extension));
    }

    /**
     * Mirrors {@code from} into {@code to} by hard links (a symbolic link where the two are on different file systems),
     * leaving out {@code skip}. Maven replaces files it writes (by renaming a new file onto the name), so the build's
     * repository is never changed through the links.
     */
    private static void link(Path from, Path to, Path skip) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.equals(skip)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path target = to.resolve(from.relativize(file));
                try {
                    Files.createLink(target, file);
                } catch (FileSystemException | UnsupportedOperationException e) {
                    Files.createSymbolicLink(target, file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
