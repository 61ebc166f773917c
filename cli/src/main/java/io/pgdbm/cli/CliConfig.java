package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.DatabaseConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command's settings: the same {@code pgdbm.*} keys as the extension, taken from flags first, then the environment
 * (MicroProfile-style names: {@code pgdbm.datasource.url} is {@code PGDBM_DATASOURCE_URL}), then a properties file.
 * Values may use {@code ${VAR}} for an environment variable. The file also lists a project's modules:
 * {@code pgdbm.module."<name>".schema}, {@code .migrations} (a folder) and {@code .depends-on} (names, comma-separated).
 */
final class CliConfig {

    private static final Pattern MODULE_KEY = Pattern.compile(
            "pgdbm\\.module\\.(\"?)([A-Za-z0-9_]+)\\1\\.(schema|migrations|depends-on)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> flags;
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final Path fileName;

    private CliConfig(Map<String, String> flags, Map<String, String> environment, Map<String, String> file,
            Path fileName) {
        this.flags = flags;
        this.environment = environment;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * @param file the properties file ({@code --config}), or {@code null} for {@code ./pgdbm.properties} when present
     * @param flags the settings given as flags, by key
     */
    static CliConfig load(Path file, Map<String, String> flags, Map<String, String> environment) {
        Path chosen = file;
        if (chosen == null && Files.isRegularFile(Path.of("pgdbm.properties"))) {
            chosen = Path.of("pgdbm.properties");
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (chosen != null) {
            if (!Files.isRegularFile(chosen)) {
                throw new ConfigurationException("--config", "Configuration file " + chosen.toAbsolutePath()
                        + " does not exist; check the path given to --config");
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(chosen, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigurationException("--config", "Cannot read " + chosen + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        }
        Map<String, String> given = new LinkedHashMap<>();
        flags.forEach((key, value) -> {
            if (value != null) {
                given.put(key, value);
            }
        });
        return new CliConfig(given, environment, values, chosen);
    }

    /** The MicroProfile Config environment name of a key: {@code pgdbm.datasource.url} is {@code PGDBM_DATASOURCE_URL}. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** A setting, from flags, the environment or the file, with {@code ${VAR}} expanded; {@code null} when unset. */
    String get(String key) {
        String value = flags.get(key);
        if (value == null) {
            value = environment.get(environmentName(key));
        }
        if (value == null) {
            value = file.get(key);
        }
        return value == null ? null : expand(key, value);
    }

    private String expand(String key, String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.get(matcher.group(1));
            if (replacement == null) {
                throw new ConfigurationException(key, key + " uses ${" + matcher.group(1) + "}, which is not set in "
                        + "the environment");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(result).toString();
    }

    /** The datasource configuration these settings describe. */
    DatabaseConfig database() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.DATASOURCE) {
                String value = get(key.key());
                if (value != null) {
                    settings.put(key.key(), value);
                }
            }
        }
        if (settings.get(ConfigKey.DATASOURCE_URL.key()) == null) {
            throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(), "No database given: pass --url, or set "
                    + environmentName(ConfigKey.DATASOURCE_URL.key()) + ", or pgdbm.datasource.url in "
                    + (fileName == null ? "pgdbm.properties (or a file given with --config)" : fileName));
        }
        // A command line should say at once that the server is not there, not after backing off.
        settings.putIfAbsent(ConfigKey.CONNECT_ATTEMPTS.key(), "1");
        settings.putIfAbsent(ConfigKey.POOL_MIN_IDLE.key(), "0");
        settings.putIfAbsent(ConfigKey.POOL_MAX_SIZE.key(), "2");
        settings.putIfAbsent(ConfigKey.APPLICATION_NAME.key(), "pgdbm-cli");
        return DatabaseConfig.builder().name("cli").properties(settings).build();
    }

    /** The migration settings ({@code pgdbm.migrate.*}). */
    Map<String, String> migrationSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.MIGRATION && get(key.key()) != null) {
                settings.put(key.key(), get(key.key()));
            }
        }
        return settings;
    }

    /** The project's modules, from the file's {@code pgdbm.module."<name>".*} keys, by name. */
    List<ModuleSpec> modules() {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        for (String key : file.keySet()) {
            Matcher matcher = MODULE_KEY.matcher(key);
            if (matcher.matches()) {
                byName.computeIfAbsent(matcher.group(2), name -> new LinkedHashMap<>())
                        .put(matcher.group(3), expand(key, file.get(key)));
            }
        }
        List<ModuleSpec> modules = new ArrayList<>();
        byName.forEach((name, values) -> {
            String migrations = values.get("migrations");
            if (migrations == null) {
                throw new ConfigurationException("pgdbm.module.\"" + name + "\".migrations", "Module " + name
                        + " in " + fileName + " has no migrations folder; set pgdbm.module.\"" + name
                        + "\".migrations");
            }
            Path folder = fileName != null && fileName.getParent() != null
                    ? fileName.getParent().resolve(migrations) : Path.of(migrations);
            List<String> dependsOn = values.getOrDefault("depends-on", "").isBlank() ? List.of()
                    : List.of(values.get("depends-on").split("\\s*,\\s*"));
            modules.add(new ModuleSpec(name, values.getOrDefault("schema", name), folder, dependsOn));
        });
        return modules;
    }
}
