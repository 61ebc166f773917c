package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's migrations example, compiled and run: every line of the README's snippet must be a line of this file,
 * and the example must do what the README says.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class MigrationsReadmeTest {

    private static final Path SOURCE = Path.of("src/test/java/io/pgdbm/core/migration/MigrationsReadmeTest.java");

    @Test
    void readmeExampleMigratesTheUsersModule(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().build())) {
            MigrationResult result = example(pgdbm);

            assertThat(result.applied()).extracting(MigrationResult.Applied::filename)
                    .containsExactly("001_create_accounts.sql", "V2__add_email.sql", "010_index_email.sql");
            assertThat(result.skipped()).isEmpty();
        }
    }

    private MigrationResult example(Pgdbm pgdbm) {
        Map<String, String> settings = Map.of("pgdbm.migrate.lock-wait", "2m");   // from your configuration
        ModuleDatabase users = pgdbm.module("users");
        Migrator migrator = new Migrator(pgdbm, users,
                MigrationFiles.fromClasspath("users", "migrations/users", getClass().getClassLoader()),  // or fromDirectory(...)
                MigrationOptions.fromProperties(settings));                                       // or MigrationOptions.defaults()
        MigrationResult result = migrator.migrate();   // applied files with their durations, skipped files, total time
        return result;
    }

    @Test
    void readmeSnippetIsTakenFromThisExample() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        int marker = readme.indexOf("<!-- snippet: core/src/test/java/io/pgdbm/core/migration/MigrationsReadmeTest.java -->");
        assertThat(marker).as("snippet marker in README.md").isNotNegative();
        assertThat(readme.get(marker + 1)).isEqualTo("```java");
        List<String> snippet = readme.subList(marker + 2, readme.size()).stream()
                .takeWhile(line -> !line.equals("```"))
                .map(String::strip)
                .toList();
        List<String> source = Files.readAllLines(SOURCE).stream().map(String::strip).toList();

        assertThat(snippet).hasSizeGreaterThan(4);
        assertThat(snippet).as("the README's lines, in order, are this example's").isSubsetOf(source);
        assertThat(String.join("\n", source)).contains(String.join("\n", snippet));
    }
}
