package io.pgdbm.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConnectionException;
import io.pgdbm.core.testsupport.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a real server: a PostgreSQL of its own with {@code ssl=on} and a certificate for {@code localhost}
 * (no IP address in it) signed by a throw-away CA, made with openssl for this run.
 */
class TlsTest {

    private static final String PG_STAT_SSL = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private static final String OPENSSL_CONFIG = """
            [req]
            distinguished_name = subject

            [subject]

            [ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash

            [server]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            # DNS only: connecting by IP address must fail the host name check of verify-full.
            subjectAltName = DNS:localhost
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """;

    @TempDir
    static Path certificates;

    private static Path rightRoot;
    private static Path wrongRoot;
    private static Path serverCertificate;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void startServerWithTls() throws IOException, InterruptedException {
        Files.writeString(certificates.resolve("openssl.cnf"), OPENSSL_CONFIG);
        rightRoot = createCertificateAuthority("right-ca");
        wrongRoot = createCertificateAuthority("wrong-ca");
        openssl("req", "-new", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "server.key", "-subj", "/CN=localhost", "-out", "server.csr");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "right-ca.pem", "-CAkey", "right-ca.key",
                "-set_serial", "2", "-days", "2", "-extfile", "openssl.cnf", "-extensions", "server",
                "-out", "server.pem");
        serverCertificate = certificates.resolve("server.pem");
        Path serverKey = certificates.resolve("server.key");
        // PostgreSQL refuses a key file that group or others can read. Under zonky's 'unshare -U' (tests run as root)
        // the root-owned file shows as owned by the server's own user, so the rule for owners applies: 0600.
        Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));

        server = PostgresServer.embeddedBuilder()
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", serverCertificate.toString())
                .setServerConfig("ssl_key_file", serverKey.toString())
                .start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifyFullAcceptsServerSignedByConfiguredRoot() {
        try (Pgdbm pgdbm = Pgdbm.create(config("localhost", SslMode.VERIFY_FULL, rightRoot).build())) {
            assertThat(pgdbm.module("tls").fetchValue(PG_STAT_SSL, Boolean.class)).isTrue();
        }
    }

    @Test
    void verifyFullRejectsServerSignedByAnotherRootWithoutRetrying() {
        // Three attempts allowed: a certificate that does not verify will not verify on a retry either, so the engine
        // must give up after the first.
        DatabaseConfig config = config("localhost", SslMode.VERIFY_FULL, wrongRoot).connectAttempts(3).build();

        assertThatThrownBy(() -> Pgdbm.create(config).close())
                .isInstanceOfSatisfying(ConnectionException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("localhost:" + server.getPort())
                            // pgjdbc says "PKIX path building failed ... unable to find valid certification path".
                            .containsIgnoringCase("certif")
                            .contains("pgdbm.ssl.root-cert");
                    assertThat(e.attempts()).isEqualTo(1);
                });
    }

    @Test
    void verifyFullRejectsHostNotNamedInCertificateWithoutRetrying() throws IOException, InterruptedException {
        assertThat(openssl("x509", "-in", serverCertificate.toString(), "-noout", "-ext", "subjectAltName"))
                .contains("DNS:localhost")
                .doesNotContain("IP");
        DatabaseConfig config = config("127.0.0.1", SslMode.VERIFY_FULL, rightRoot).connectAttempts(3).build();

        assertThatThrownBy(() -> Pgdbm.create(config).close())
                .isInstanceOfSatisfying(ConnectionException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("127.0.0.1:" + server.getPort())
                            .containsIgnoringCase("hostname")
                            .contains("pgdbm.ssl.mode");
                    assertThat(e.attempts()).isEqualTo(1);
                });
    }

    @Test
    void verifyCaAcceptsServerReachedByAddressNotInCertificate() {
        try (Pgdbm pgdbm = Pgdbm.create(config("127.0.0.1", SslMode.VERIFY_CA, rightRoot).build())) {
            assertThat(pgdbm.module("tls").fetchValue(PG_STAT_SSL, Boolean.class)).isTrue();
        }
    }

    private static DatabaseConfig.Builder config(String host, SslMode mode, Path root) {
        return DatabaseConfig.builder()
                .name("tls")
                .url("jdbc:postgresql://" + host + ":" + server.getPort() + "/postgres")
                .username("postgres")
                .sslMode(mode)
                .sslRootCert(root)
                .poolMaxSize(2)
                .poolMinIdle(0)
                .connectAttempts(1)
                .connectBackoff(Duration.ofMillis(50))
                .connectMaxBackoff(Duration.ofMillis(100));
    }

    /** Writes {@code <name>.pem} (a self-signed CA certificate) and {@code <name>.key}; returns the certificate. */
    private static Path createCertificateAuthority(String name) throws IOException, InterruptedException {
        openssl("req", "-x509", "-new", "-config", "openssl.cnf", "-extensions", "ca", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-subj", "/CN=pgdbm test " + name,
                "-days", "2", "-out", name + ".pem");
        return certificates.resolve(name + ".pem");
    }

    private static String openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(certificates.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
