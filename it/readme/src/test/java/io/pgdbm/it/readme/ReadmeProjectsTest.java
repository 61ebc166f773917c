package io.pgdbm.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's projects are real: "In four steps" shows every file of {@code examples/first-app} as it is, and the
 * versions the README's poms give are this build's.
 */
class ReadmeProjectsTest {

    private static final Path FIRST_APP = Readme.ROOT.resolve("examples/first-app");

    /** The version properties of the root pom that the README's poms must repeat, by the artifact they version. */
    private static final Map<String, String> VERSION_PROPERTIES = Map.ofEntries(
            Map.entry("weld-se-core", "version.weld"),
            Map.entry("smallrye-config", "version.smallrye-config"),
            Map.entry("slf4j-simple", "version.slf4j"),
            Map.entry("junit-jupiter", "version.junit"),
            Map.entry("weld-junit5", "version.weld-junit"),
            Map.entry("jakarta.enterprise.cdi-api", "version.cdi"),
            Map.entry("maven-compiler-plugin", "version.plugin.compiler"),
            Map.entry("maven-surefire-plugin", "version.plugin.surefire"),
            Map.entry("exec-maven-plugin", "version.plugin.exec"));

    @Test
    void fourStepsShowEveryFileOfTheFirstApplicationAsItIs() throws IOException {
        Map<String, String> shown = new TreeMap<>(Readme.read().section("## In four steps").files());
        Map<String, String> project = new TreeMap<>();
        try (Stream<Path> files = Files.walk(FIRST_APP)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = FIRST_APP.relativize(file).toString().replace('\\', '/');
                if (!path.startsWith("target/")) {
                    project.put(path, Files.readString(file));
                }
            }
        }

        assertThat(shown.keySet()).as("the files the README shows").containsExactlyElementsOf(project.keySet());
        assertThat(shown).containsExactlyEntriesOf(project);
    }

    @Test
    void readmePomsGiveTheVersionsOfThisBuild() throws IOException {
        String root = Files.readString(Readme.ROOT.resolve("pom.xml"));
        Matcher own = Pattern.compile("<artifactId>pgdbm-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(root);
        assertThat(own.find()).as("the root pom's version").isTrue();
        Readme readme = Readme.read();
        Map<String, String> poms = new LinkedHashMap<>();
        poms.put("In four steps: pom.xml", readme.section("## In four steps").files().get("pom.xml"));
        Readme guide = readme.section("### Testing with pgdbm-testing");
        poms.put("testing guide: pom", guide.block("snippet: testing-pom"));
        poms.put("testing guide: CDI dependencies", guide.block("snippet: testing-cdi-dependencies"));

        Pattern versioned = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
        int checked = 0;
        for (Map.Entry<String, String> pom : poms.entrySet()) {
            assertThat(pom.getValue()).as(pom.getKey()).isNotNull();
            Matcher dependency = versioned.matcher(pom.getValue());
            while (dependency.find()) {
                String artifact = dependency.group(1);
                if (artifact.equals("first-app") || artifact.equals("accounts")) {
                    continue;
                }
                String expected = artifact.startsWith("pgdbm-") ? own.group(1) : property(root, artifact);
                assertThat(dependency.group(2)).as(pom.getKey() + ": the version of " + artifact)
                        .isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).as("versions checked").isGreaterThanOrEqualTo(12);
    }

    private static String property(String pom, String artifact) {
        String property = VERSION_PROPERTIES.get(artifact);
        assertThat(property).as("the root pom's property for " + artifact + " (add it to VERSION_PROPERTIES)")
                .isNotNull();
        Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as("property " + property + " in the root pom").isTrue();
        return value.group(1);
    }
}
