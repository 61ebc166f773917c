package io.pgdbm.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The PostgreSQL server the benchmarks run against: the one named by {@value #URL_PROPERTY} (or {@value #URL_ENV}),
 * or else an embedded one started here and stopped by {@link #close()}.
 *
 * <p>{@link BenchmarkSuite} starts one embedded server for the whole run and hands its URL to every forked benchmark
 * JVM through {@value #URL_PROPERTY}, so every pair meets the same server. A benchmark run straight from
 * {@code java -jar benchmarks.jar} without the property starts a server per fork.
 */
final class BenchServer implements AutoCloseable {

    /** System property with the JDBC URL (user and password as URL parameters) of the server to use. */
    static final String URL_PROPERTY = "pgdbm.bench.url";
    /** Environment variable with the same meaning; the system property wins. */
    static final String URL_ENV = "PGDBM_BENCH_URL";

    private final EmbeddedPostgres embedded;
    private final String url;

    private BenchServer(EmbeddedPostgres embedded, String url) {
        this.embedded = embedded;
        this.url = url;
    }

    /** Connects to the configured server, or starts an embedded one when none is configured. */
    static BenchServer startOrConnect() {
        String configured = System.getProperty(URL_PROPERTY, System.getenv(URL_ENV));
        if (configured != null && !configured.isBlank()) {
            return new BenchServer(null, configured.trim());
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Measure the client, not the disk: nothing here needs to survive a crash.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    // Tables are recreated per fork and truncated per iteration; a vacuum worker waking up in the
                    // middle of one side's measurement is noise the other side does not get.
                    .setServerConfig("autovacuum", "off")
                    .start();
            return new BenchServer(embedded, embedded.getJdbcUrl("postgres", "postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL (as root it needs 'unshare -U', "
                    + "i.e. user namespaces); set -D" + URL_PROPERTY
                    + "=jdbc:postgresql://host/db?user=...&password=... to use an existing server instead", e);
        }
    }

    String url() {
        return url;
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    /** The server's version string, e.g. {@code 18.6}. */
    String serverVersion() {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the benchmark server: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e);
            }
        }
    }
}
