package io.pgdbm.core.testsupport;

import io.pgdbm.core.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An embedded PostgreSQL of its own that a test may stop and start again, on the same port and data directory, for
 * fault tests (a server restart under load). Never the {@link PostgresServer#shared() shared} server: stopping that
 * one would fail every other test class of the JVM.
 *
 * <pre>{@code
 * try (RestartablePostgres server = RestartablePostgres.startNew();
 *         Pgdbm pgdbm = Pgdbm.create(server.configBuilder().build())) {
 *     ...
 *     server.stop();     // pg_ctl stop -m fast: sessions are ended, the shutdown checkpoint is written
 *     server.start();    // the same data directory on the same port; returns once the server answers
 * }
 * }</pre>
 *
 * <p>Unlike the shared server, this one keeps {@code synchronous_commit=on}: a commit the client saw acknowledged has
 * its WAL written before the acknowledgement, which is the promise a restart test checks. {@code fsync} stays off
 * (speed): the WAL reaches the operating system, which keeps it across a restart of the server process, though not
 * across a crash of the machine.
 *
 * <p>Always an embedded server, even when {@code PGDBM_TEST_URL} names an external one: a test must not stop a
 * server it did not start.
 */
public final class RestartablePostgres implements AutoCloseable {

    /** Below Linux's ephemeral range (32768 and up), so no client socket takes the port while the server is down. */
    private static final int LOWEST_PORT = 20000;
    private static final int HIGHEST_PORT = 32000;
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final Path dataDirectory;
    private final int port;
    private final Thread stopOnExit;
    private EmbeddedPostgres running;
    private boolean closed;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.stopOnExit = new Thread(this::stopQuietly, "pgdbm-test-restartable-postgres-stop");
    }

    /**
     * Creates a data directory, picks a free port and starts the server.
     *
     * @throws IllegalStateException when the server cannot start (as root it needs {@code unshare -U})
     */
    public static RestartablePostgres startNew() {
        Path directory;
        try {
            directory = Files.createTempDirectory("pgdbm-restartable-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a data directory for a restartable PostgreSQL", e);
        }
        RestartablePostgres server = new RestartablePostgres(directory, freePort());
        try {
            server.startServer();
        } catch (RuntimeException e) {
            deleteQuietly(directory, e);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(server.stopOnExit);
        return server;
    }

    /** The port, the same across restarts. */
    public int port() {
        return port;
    }

    /** The data directory, the same across restarts. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A JDBC URL for the server's {@code postgres} database, without credentials (the server trusts local logins). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    /**
     * A configuration builder pointing at this server, with a short connect backoff as {@link TestDatabase} gives;
     * change what the test needs, then {@code build()}.
     */
    public DatabaseConfig.Builder configBuilder() {
        return DatabaseConfig.builder()
                .url(jdbcUrl())
                .username(USER)
                .connectBackoff(Duration.ofMillis(50))
                .connectMaxBackoff(Duration.ofMillis(200));
    }

    /** An unpooled DataSource, for set-up, checks and faults done beside the code under test. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(USER);
        dataSource.setConnectTimeout(10);
        return dataSource;
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /**
     * Stops the server in PostgreSQL's fast mode ({@code pg_ctl stop -m fast}): open transactions are rolled back,
     * every session is ended ({@code 57P01}), a shutdown checkpoint is written.
     *
     * @return how long stopping took
     * @throws IllegalStateException when the server is not running
     */
    public synchronized Duration stop() {
        if (running == null) {
            throw new IllegalStateException("The restartable PostgreSQL on port " + port + " is not running");
        }
        long started = System.nanoTime();
        EmbeddedPostgres stopping = running;
        running = null;
        try {
            stopping.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the restartable PostgreSQL on port " + port, e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Crashes the server: PostgreSQL's immediate mode (SIGQUIT to the postmaster, as {@code pg_ctl stop -m immediate}
     * sends), which ends every process at once, writes no checkpoint, and leaves the next start to replay the WAL
     * (crash recovery).
     *
     * @return how long until the postmaster had exited
     * @throws IllegalStateException when the server is not running or does not exit
     */
    public synchronized Duration crash() {
        if (running == null) {
            throw new IllegalStateException("The restartable PostgreSQL on port " + port + " is not running");
        }
        long started = System.nanoTime();
        long pid = postmasterPid();
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "The postmaster of the restartable PostgreSQL on port " + port + " (pid " + pid + ") is gone"));
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -QUIT " + pid + " failed with exit code " + kill.exitValue());
            }
            // Polled: onExit() of a process that is not the JVM's child polls too, but slowly.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (postmaster.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The postmaster (pid " + pid + ") did not exit after SIGQUIT");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal the postmaster (pid " + pid + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while crashing the PostgreSQL on port " + port, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        EmbeddedPostgres crashed = running;
        running = null;
        try {
            // Releases zonky's lock on the data directory, which the next start takes again. Its pg_ctl stop finds no
            // server, and zonky logs that at ERROR: say beforehand that it is expected.
            System.err.println("RestartablePostgres: the server on port " + port + " was crashed on purpose; zonky's "
                    + "\"Could not stop postmaster\" error that follows is expected");
            crashed.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not release the crashed PostgreSQL on port " + port, e);
        }
        return took;
    }

    private long postmasterPid() {
        try {
            // postmaster.pid starts with the postmaster's process id (as the host sees it: unshare -U makes a user
            // namespace, not a pid namespace).
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the postmaster's pid in " + dataDirectory, e);
        }
    }

    /**
     * Starts the server again on the same data directory and port; returns once it answers a query.
     *
     * @return how long starting took
     * @throws IllegalStateException when the server is running already, or was closed
     */
    public synchronized Duration start() {
        if (closed) {
            throw new IllegalStateException("The restartable PostgreSQL on port " + port + " was closed");
        }
        if (running != null) {
            throw new IllegalStateException("The restartable PostgreSQL on port " + port + " is running already");
        }
        long started = System.nanoTime();
        startServer();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Stops the server if it runs and deletes its data directory. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            if (running != null) {
                stop();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook itself.
        }
        RuntimeException deleteFailure = new IllegalStateException("Could not delete " + dataDirectory);
        deleteQuietly(dataDirectory, deleteFailure);
        if (deleteFailure.getSuppressed().length > 0) {
            if (failure == null) {
                failure = deleteFailure;
            } else {
                failure.addSuppressed(deleteFailure);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void startServer() {
        try {
            running = PostgresServer.embeddedBuilder()
                    .setDataDirectory(dataDirectory)
                    // Keep the data across stop and start; close() deletes the directory.
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "50")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the restartable PostgreSQL on port " + port + " in "
                    + dataDirectory + " (as root it needs 'unshare -U', i.e. user namespaces)", e);
        }
    }

    private synchronized void stopQuietly() {
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                System.err.println("Could not stop the restartable PostgreSQL on port " + port + ": " + e);
            }
            running = null;
        }
    }

    /** A port nothing listens on, outside the range the kernel hands out to client sockets. */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IllegalStateException("No free port between " + LOWEST_PORT + " and " + HIGHEST_PORT);
    }

    private static void deleteQuietly(Path directory, RuntimeException failure) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "RestartablePostgres[localhost:" + port + ", " + dataDirectory + (isRunning() ? ", running" : "")
                + "]";
    }
}
