package io.pgdbm.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * "In four steps", built and run from the README's own text: its files are written into a folder as a project, and
 * the README's command runs there, with a local repository that holds this build's io.pgdbm artifacts and nothing else
 * of io.pgdbm ({@link ReactorRepository}), against a database of the test PostgreSQL, which the environment points
 * it at ({@code PGDBM_DATASOURCE_URL}, read above the application's properties file).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstAppIT {

    private static final Path PROJECT = Path.of("target/readme-first-app").toAbsolutePath();

    private static Readme section;
    private static PgdbmTestServer.Database database;
    private static String command;

    @BeforeAll
    static void writeTheReadmesProject() {
        section = Readme.read().section("## In four steps");
        NestedMaven.write(PROJECT, section.files());
        command = section.block("command: first-app").strip();
        database = PgdbmTestServer.shared().newDatabase();
    }

    @AfterAll
    static void dropTheDatabase() {
        if (database != null) {
            database.close();
        }
    }

    private static NestedMaven.Run runTheReadmesCommand(String log) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGDBM_DATASOURCE_URL", database.jdbcUrl());
        environment.put("PGDBM_DATASOURCE_USERNAME", database.server().username());
        // null removes a password of the caller's environment; the embedded server trusts local connections.
        environment.put("PGDBM_DATASOURCE_PASSWORD", database.server().password());
        return NestedMaven.run(PROJECT, command, environment, log);
    }

    @Test
    @Order(1)
    void theApplicationMigratesItsModuleAtStartAndUsesIt() {
        NestedMaven.Run run = runTheReadmesCommand("readme-first-app.log");

        assertThat(run.exitCode()).as("exit code of '%s'; output:%n%s", command, run.output()).isZero();
        List<String> printed = run.output().lines().toList();
        for (String shown : section.block("output: first-app").lines().toList()) {
            Pattern line = Pattern.compile(Pattern.quote(shown).replaceAll("\\d+ms", "\\\\E\\\\d+ms\\\\Q"));
            assertThat(printed).as("the README shows '%s'; the application printed:%n%s", shown, run.output())
                    .anyMatch(candidate -> line.matcher(candidate).matches());
        }
    }

    @Test
    @Order(2)
    void withoutBeansXmlPgdbmSaysWhereToAddIt() throws IOException {
        Files.delete(PROJECT.resolve("src/main/resources/META-INF/beans.xml"));
        // The build does not remove what it copied before; a reader's 'mvn clean' would.
        Files.deleteIfExists(PROJECT.resolve("target/classes/META-INF/beans.xml"));

        NestedMaven.Run run = runTheReadmesCommand("readme-first-app-without-beans-xml.log");

        assertThat(run.exitCode()).as("exit code without beans.xml; output:%n%s", run.output()).isNotZero();
        assertThat(run.output())
                .contains("WARN io.pgdbm.extension.PgdbmExtension - pgdbm - no @DatabaseModule class was discovered, "
                        + "so there is no module to migrate or inject. Weld SE, and any container that does not scan "
                        + "implicit bean archives, sees classes only in archives with a META-INF/beans.xml: add one "
                        + "to the jar or classes folder that holds your @DatabaseModule classes (in a Maven project, "
                        + "src/main/resources/META-INF/beans.xml")
                .contains("Unsatisfied dependencies for type Notes");
    }
}
