package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration table is checked against the catalogue, so neither drifts from the other. */
class ConfigurationDocsTest {

    @Test
    void readmeListsEverySettingWithItsDefault() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        int section = readme.indexOf("## Configuration");
        assertThat(section).as("the README's Configuration section").isNotNegative();
        List<String> rows = readme.subList(section + 1, readme.size()).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .filter(line -> line.startsWith("| `pgdbm."))
                .toList();

        for (ConfigKey key : ConfigKey.values()) {
            String expected = "| `" + key.key() + "` | "
                    + (key.defaultValue() == null ? "—" : "`" + key.defaultValue() + "`") + " | ";
            assertThat(rows).as("README row for " + key.key()).anySatisfy(row -> assertThat(row).startsWith(expected));
        }
        assertThat(rows).as("no README row for a setting that does not exist").hasSize(ConfigKey.values().length);
    }
}
