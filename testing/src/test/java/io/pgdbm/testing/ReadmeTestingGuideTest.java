package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's testing guide is the files it shows: the test class is {@code io.pgdbm.testing.guide.AccountsTest}
 * (compiled and run with this module's tests), the migration is the test resource, the version is the project's.
 * ({@code it/readme} builds the whole guide, its pom and CDI test included, as a project of its own.)
 */
class ReadmeTestingGuideTest {

    private static final Path README = Path.of("../README.md");

    @Test
    void theGuidesTestIsTheCompiledTestClassInUnderTenLinesOfCode() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/pgdbm/testing/guide/AccountsTest.java"));
        assertThat(source.get(0)).startsWith("package ");
        assertThat(source.get(1)).isEmpty();

        List<String> snippet = snippet("testing-test");

        assertThat(snippet).isEqualTo(source.subList(2, source.size()));
        assertThat(snippet).filteredOn(line -> !line.isBlank() && !line.startsWith("import "))
                .as("lines of code").hasSizeLessThan(10);
    }

    @Test
    void theGuidesMigrationIsTheTestResource() throws IOException {
        assertThat(snippet("testing-migration"))
                .isEqualTo(Files.readAllLines(Path.of("src/test/resources/db/users/001_accounts.sql")));
    }

    @Test
    void theGuidesPomHasThisModuleAtTheProjectsVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>pgdbm-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("../pom.xml")));
        assertThat(version.find()).as("the parent pom's version").isTrue();

        assertThat(snippet("testing-pom")).containsSequence("            <groupId>io.pgdbm</groupId>",
                "            <artifactId>pgdbm-testing</artifactId>",
                "            <version>" + version.group(1) + "</version>", "            <scope>test</scope>");
    }

    /** The lines of the fenced block after {@code <!-- snippet: name -->} in the README. */
    private static List<String> snippet(String name) throws IOException {
        List<String> readme = Files.readAllLines(README);
        int marker = readme.indexOf("<!-- snippet: " + name + " -->");
        assertThat(marker).as("snippet marker " + name + " in README.md").isNotNegative();
        assertThat(readme.get(marker + 1)).as("the line after the marker " + name).startsWith("```");
        return readme.subList(marker + 2, readme.size()).stream().takeWhile(line -> !line.equals("```")).toList();
    }
}
