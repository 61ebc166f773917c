package io.pgdbm.it.readme;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Maven that runs this build on a project written from the README, with {@link ReactorRepository} as its
 * local repository and the JDK of this build, in batch mode. Not offline: a plugin or dependency the README names that
 * the build itself never needed is downloaded as a reader's Maven would.
 */
final class NestedMaven {

    private static final long TIMEOUT_MINUTES = 10;

    /**
     * How one run ended.
     *
     * @param exitCode Maven's exit code
     * @param output what it printed, standard output and error together
     */
    record Run(int exitCode, String output) {
    }

    private NestedMaven() {
    }

    /**
     * Runs {@code command}, a README command line starting with {@code mvn}, in {@code project}, its output also
     * written to {@code <project>/../<log>}.
     *
     * @param environment variables to set (a {@code null} value removes one)
     */
    static Run run(Path project, String command, Map<String, String> environment, String log) {
        List<String> words = List.of(command.strip().split("\\s+"));
        if (!words.get(0).equals("mvn")) {
            throw new IllegalArgumentException("Not a Maven command: " + command);
        }
        List<String> line = new ArrayList<>();
        line.add(mavenExecutable().toString());
        line.add("-B");
        line.add("-Dmaven.repo.local=" + ReactorRepository.get());
        line.addAll(words.subList(1, words.size()));
        ProcessBuilder builder = new ProcessBuilder(line).directory(project.toFile()).redirectErrorStream(true);
        Path output = project.resolveSibling(log);
        builder.redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", line) + " in " + project + " did not end within "
                        + TIMEOUT_MINUTES + " minutes; its output: " + output);
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Path mavenExecutable() {
        String home = System.getProperty("maven.home");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("System property maven.home is not set: this module's pom passes it to "
                    + "failsafe; run the tests with Maven (mvn verify)");
        }
        boolean windows = File.separatorChar == '\\';
        return Path.of(home, "bin", windows ? "mvn.cmd" : "mvn");
    }

    /** Writes {@code files} (path relative to {@code project}, text) into a fresh {@code project} folder. */
    static Path write(Path project, Map<String, String> files) {
        try {
            ReactorRepository.delete(project);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = project.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            return project;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
