package io.pgdbm.it.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server the test started as a child process, on a loopback port, with its output in a file. Closing it stops the
 * server (SIGTERM: both servers shut down in order) and waits for it.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final String name;
    private final Process process;
    private final URI base;
    private final Path log;

    private ServerProcess(String name, Process process, URI base, Path log) {
        this.name = name;
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts {@code command} and waits until {@code started} holds for the text of {@code log} (the server's own log,
     * which may be its output): the server has finished starting, whether the application deployed or not.
     *
     * @param output where the process's output goes
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path output,
            Path log, URI base, Predicate<String> started) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        long began = System.nanoTime();
        ServerProcess server = new ServerProcess(name, builder.start(), base, log);
        long deadline = began + START_TIMEOUT.toNanos();
        while (!started.test(server.logText())) {
            if (!server.process.isAlive()) {
                throw new IllegalStateException(name + " ended with exit code " + server.process.exitValue()
                        + " before it had started; its output: " + output + "\n" + tail(output));
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(name + " did not start within " + START_TIMEOUT + "; its output: "
                        + output + "\n" + tail(output));
            }
            Thread.sleep(200);
        }
        System.out.printf("%s started in %.1f s%n", name, (System.nanoTime() - began) / 1e9);
        return server;
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Deletes a file or a directory tree, if it exists: what an earlier run left. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The application's root, e.g. {@code http://127.0.0.1:9080/}. */
    public URI base() {
        return base;
    }

    /** What the server has logged so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        // A launcher script may run the server's JVM as its child: ask both to stop.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " at " + base;
    }
}
