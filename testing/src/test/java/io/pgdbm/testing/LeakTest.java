package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM killed mid-suite leaves its test databases; the next JVM's sweep drops them, and nothing else. */
class LeakTest {

    /** The child: creates a test database on the server named by pgdbm.test.url, says its name, waits to be killed. */
    public static void main(String[] args) throws InterruptedException {
        PgdbmTestServer server = PgdbmTestServer.shared();
        String name = server.newName(false);
        server.create(name, null);
        System.out.println("CREATED " + name);
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    @Test
    void databasesOfAKilledJvmAreSweptByTheNextRun() throws Exception {
        PgdbmTestServer server = PgdbmTestServer.shared();
        String other = "pgdbm_test_not_ours";
        server.create(other, null);
        try {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-D" + PgdbmTestServer.URL_PROPERTY + "=" + server.jdbcUrl("postgres") + "?user="
                            + server.username(),
                    LeakTest.class.getName()).redirectErrorStream(true).start();
            String leaked;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.startsWith("CREATED "));
                assertThat(line).as("the child JVM created a database").isNotNull();
                leaked = line.substring("CREATED ".length());
            }
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(server.databases()).contains(leaked);

            List<String> swept = server.sweep();

            assertThat(swept).contains(leaked);
            assertThat(server.databases()).doesNotContain(leaked).contains(other);
        } finally {
            server.drop(other);
        }
    }
}
