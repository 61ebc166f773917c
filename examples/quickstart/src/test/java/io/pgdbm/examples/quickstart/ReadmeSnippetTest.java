package io.pgdbm.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's quick-start snippet is an excerpt of the quick start's sources: every line of it must be in them. */
class ReadmeSnippetTest {

    private static final Path README = Path.of("../../README.md");
    private static final Path SOURCES = Path.of("src/main/java/io/pgdbm/examples/quickstart");

    @Test
    void quickStartSnippetIsTakenFromTheCompiledExample() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int marker = readme.indexOf("<!-- snippet: quickstart -->");
        assertThat(marker).as("snippet marker in README.md").isNotNegative();
        assertThat(readme.get(marker + 1)).isEqualTo("```java");
        List<String> snippet = readme.subList(marker + 2, readme.size()).stream()
                .takeWhile(line -> !line.equals("```"))
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.equals("..."))
                .toList();
        Set<String> source;
        try (Stream<Path> files = Files.list(SOURCES)) {
            source = files.filter(file -> file.toString().endsWith(".java")).flatMap(ReadmeSnippetTest::lines)
                    .map(String::strip).collect(Collectors.toSet());
        }

        assertThat(snippet).hasSizeGreaterThan(10);
        assertThat(snippet).allSatisfy(line -> assertThat(source).as("quick start source lines").contains(line));
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
