package io.pgdbm.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's one line that runs the command line from the local Maven repository, without the sources: run as
 * written, with {@code ~/.m2/repository} standing for a repository that holds what {@code mvn install} put there
 * ({@link ReactorRepository}), in a project folder with a {@code pgdbm.properties}, against the test PostgreSQL.
 */
class CommandLineFromRepositoryIT {

    @Test
    void theRunnableJarInstalledInTheLocalRepositoryValidatesAProject() throws IOException, InterruptedException {
        String command = Readme.read().block("snippet: cli-from-local-repository").strip();
        assertThat(command).startsWith("java -jar ~/.m2/repository/io/pgdbm/pgdbm-cli/");
        Path project = Files.createDirectories(Path.of("target/readme-cli").toAbsolutePath());
        Files.createDirectories(project.resolve("db/users"));
        Files.writeString(project.resolve("db/users/001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int);\n");
        Files.writeString(project.resolve("pgdbm.properties"), "pgdbm.module.users.migrations=db/users\n");

        try (PgdbmTestServer.Database database = PgdbmTestServer.shared().newDatabase()) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command.replace("~/.m2/repository",
                    ReactorRepository.get().toString())).directory(project.toFile()).redirectErrorStream(true);
            builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                    + System.getenv("PATH"));
            builder.environment().put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
            builder.environment().put("PGDBM_DATASOURCE_USERNAME", database.server().username());
            Path log = project.resolveSibling("readme-cli.log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within 2 minutes; its output: " + log);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo("users: valid, 0 applied, 1 pending\n");
        }
    }
}
