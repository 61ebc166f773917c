package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.ConfigKeys;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Names;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command's settings: the same {@code pgdbm.*} keys as the extension, each taken from a flag first, then the
 * environment, then a properties file ({@code --config}, else {@code ./pgdbm.properties}).
 *
 * <ul>
 * <li>Environment names follow MicroProfile Config: the key as it is, then with every character other than a letter or
 * digit replaced by {@code _}, then that in upper case. {@code pgdbm.datasource.url} is {@code PGDBM_DATASOURCE_URL};
 * {@code pgdbm.module."users".schema} is {@code PGDBM_MODULE__USERS__SCHEMA}, and its unquoted form
 * {@code pgdbm.module.users.schema} is {@code PGDBM_MODULE_USERS_SCHEMA}. Empty values count as unset.
 * <li>Values in the file may use {@code ${VAR}} for an environment variable; {@code $${} is a literal {@code ${}.
 * Flags and environment values are taken as they are: the shell has expanded them, and a password may hold
 * {@code ${}.
 * <li>The file lists a project's modules: {@code pgdbm.module."<name>".migrations} (a folder, relative to the file),
 * {@code .schema}, {@code .depends-on} (names, comma-separated) and {@code .migrate} ({@code false}: migrate skips
 * it). The environment overrides each of them for a module the file lists.
 * <li>Every {@code pgdbm.*} key of the file must be one pgdbm knows: a misspelt key fails, naming the key, the file and
 * the valid keys, instead of being ignored.
 * </ul>
 */
final class CliConfig {

    /** {@code $${} (a literal {@code ${}), {@code ${NAME}}, or a {@code ${} that starts neither. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$\\{");

    /**
     * A flag that sets a key: {@code --url} sets {@code pgdbm.datasource.url}.
     *
     * @param option the flag as typed, for messages
     * @param key the key it sets
     * @param value its value, {@code null} when not given
     */
    record Flag(String option, String key, String value) {
    }

    /**
     * A value and where it came from.
     *
     * @param text the value, expanded
     * @param origin where it was set, for messages: {@code --url}, {@code environment variable X}, a file
     * @param base the folder a relative path in it is relative to: the file's, or the working directory's
     */
    private record Value(String text, String origin, Path base) {

        Path path() {
            return base == null ? Path.of(text) : base.resolve(text);
        }
    }

    private final List<Flag> flags;
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final Path fileName;

    private CliConfig(List<Flag> flags, Map<String, String> environment, Map<String, String> file, Path fileName) {
        this.flags = flags;
        this.environment = environment;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * Reads the properties file and checks its {@code pgdbm.*} keys.
     *
     * @param file the properties file ({@code --config}), or {@code null} for {@code ./pgdbm.properties} when present
     * @param flags the settings given as flags
     * @throws ConfigurationException when the file is missing or unreadable, or has a key pgdbm does not know
     */
    static CliConfig load(Path file, List<Flag> flags, Map<String, String> environment) {
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
                throw new ConfigurationException("--config", "Cannot read " + chosen + ": " + e);
            }
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                values.put(key, properties.getProperty(key));
            }
        }
        checkKeys(values.keySet(), chosen, environment);
        return new CliConfig(List.copyOf(flags), environment, values, chosen);
    }

    /** A setting, from a flag, the environment or the file; {@code null} when unset. */
    String get(String key) {
        Value value = find(List.of(key), true);
        return value == null ? null : value.text();
    }

    /**
     * The datasource these settings describe.
     *
     * @throws ConfigurationException when no URL is set, or a value is malformed (saying where it was set)
     */
    DatabaseConfig database() {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.DATASOURCE) {
                Value value = find(List.of(key.key()), true);
                if (value != null) {
                    settings.put(key.key(), value.text());
                    origins.put(key.key(), value.origin());
                }
            }
        }
        if (!settings.containsKey(ConfigKey.DATASOURCE_URL.key())) {
            throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(), "No database given: pass --url, or set "
                    + ConfigKeys.environmentForm(ConfigKey.DATASOURCE_URL.key()) + ", or pgdbm.datasource.url in "
                    + (fileName == null ? "pgdbm.properties (or a file given with --config)" : fileName));
        }
        // A command line should say at once that the server is not there, not after backing off.
        settings.putIfAbsent(ConfigKey.CONNECT_ATTEMPTS.key(), "1");
        settings.putIfAbsent(ConfigKey.POOL_MIN_IDLE.key(), "0");
        settings.putIfAbsent(ConfigKey.POOL_MAX_SIZE.key(), "2");
        settings.putIfAbsent(ConfigKey.APPLICATION_NAME.key(), "pgdbm-cli");
        try {
            return DatabaseConfig.builder().name("cli").properties(settings).build();
        } catch (ConfigurationException e) {
            String origin = origins.get(e.key());
            if (origin == null) {
                throw e;
            }
            throw new ConfigurationException(e.key(), e.getMessage() + " (" + e.key() + " " + origin + ")");
        }
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

    /** The project's modules: those the file lists ({@code pgdbm.module."<name>".*}), by name. */
    List<ModuleSpec> modules() {
        Set<String> names = new TreeSet<>();
        for (String key : file.keySet()) {
            ConfigKeys.named(key).filter(named -> named.kind() == ConfigKeys.NamedKey.Kind.MODULE)
                    .ifPresent(named -> names.add(named.name()));
        }
        List<ModuleSpec> modules = new ArrayList<>();
        for (String name : names) {
            ModuleSpec module = module(name, null, null);
            for (String dependency : module.dependsOn()) {
                if (!names.contains(dependency)) {
                    throw new ConfigurationException(moduleKey(name, "depends-on"), moduleKey(name, "depends-on")
                            + " " + moduleValue(name, "depends-on").origin() + " names module " + dependency
                            + ", which " + fileName + " does not list (modules: " + names + "); add "
                            + moduleKey(dependency, "migrations") + " or remove " + dependency + " from it");
                }
            }
            modules.add(module);
        }
        return modules;
    }

    /**
     * Module {@code name} as the flags, the environment and the file describe it; the flags win.
     *
     * @param migrationsFlag {@code --path}, or {@code null}
     * @param schemaFlag {@code --schema}, or {@code null}
     * @throws ConfigurationException when no migrations folder is set, or a setting is malformed
     */
    ModuleSpec module(String name, Path migrationsFlag, String schemaFlag) {
        Path migrations = migrationsFlag != null ? migrationsFlag : migrations(name);
        String schema = schemaFlag;
        String schemaOrigin = "given by --schema";
        if (schema == null) {
            Value configured = moduleValue(name, "schema");
            schema = configured == null ? name : configured.text().strip();
            schemaOrigin = configured == null ? "(the module's name)" : configured.origin();
        }
        if (!Names.isValid(schema)) {
            throw new ConfigurationException(moduleKey(name, "schema"), "Schema '" + schema + "' of module " + name
                    + " " + schemaOrigin + " is not allowed: " + Names.explain() + "; give another with --schema or "
                    + moduleKey(name, "schema"));
        }
        Value dependsOn = moduleValue(name, "depends-on");
        List<String> dependencies = dependsOn == null || dependsOn.text().isBlank() ? List.of()
                : List.of(dependsOn.text().strip().split("\\s*,\\s*"));
        Value migrate = moduleValue(name, "migrate");
        boolean migrates = true;
        if (migrate != null) {
            String text = migrate.text().strip();
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new ConfigurationException(moduleKey(name, "migrate"), moduleKey(name, "migrate") + " = '"
                        + text + "' " + migrate.origin() + " must be true or false");
            }
            migrates = Boolean.parseBoolean(text);
        }
        return new ModuleSpec(name, schema, migrations, dependencies, migrates);
    }

    /**
     * The migrations folder of module {@code name}, from the environment or the file.
     *
     * @throws ConfigurationException saying where to set it, when neither does
     */
    Path migrations(String name) {
        Value folder = moduleValue(name, "migrations");
        if (folder == null) {
            throw new ConfigurationException(moduleKey(name, "migrations"), "Module " + name + " has no migrations "
                    + "folder: pass --path, or set " + moduleKey(name, "migrations") + " in "
                    + (fileName == null ? "pgdbm.properties" : fileName) + " (or "
                    + ConfigKeys.environmentForm(moduleKey(name, "migrations")) + ")");
        }
        return folder.path();
    }

    /** The key of a module setting, in the quoted form messages use: {@code pgdbm.module."users".schema}. */
    static String moduleKey(String module, String setting) {
        return "pgdbm.module.\"" + module + "\"." + setting;
    }

    private Value moduleValue(String module, String setting) {
        return find(List.of(moduleKey(module, setting), "pgdbm.module." + module + "." + setting), false);
    }

    /**
     * The first value set for any of these spellings of one key: flags, then the environment, then the file.
     *
     * @param withFlags whether flags can set the key (module settings have flags of their own)
     */
    private Value find(List<String> keys, boolean withFlags) {
        if (withFlags) {
            for (Flag flag : flags) {
                if (keys.contains(flag.key()) && flag.value() != null && !flag.value().isEmpty()) {
                    return new Value(flag.value(), "given by " + flag.option(), null);
                }
            }
        }
        for (String key : keys) {
            for (String name : ConfigKeys.environmentNames(key)) {
                String value = environment.get(name);
                if (value != null && !value.isEmpty()) {
                    return new Value(value, "from environment variable " + name, null);
                }
            }
        }
        for (String key : keys) {
            String value = file.get(key);
            if (value != null && !value.isEmpty()) {
                return new Value(expand(key, value), "in " + fileName, fileName.toAbsolutePath().getParent());
            }
        }
        return null;
    }

    /** {@code ${VAR}} replaced by the variable's value, and {@code $${} by {@code ${}. */
    private String expand(String key, String value) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$${")) {
                replacement = "${";
            } else if (matcher.group(1) == null) {
                throw new ConfigurationException(key, key + " in " + fileName + " has a '${' that does not start a "
                        + "${NAME} reference (letters, digits and _); write $${ for a literal ${");
            } else {
                replacement = environment.get(matcher.group(1));
                if (replacement == null) {
                    throw new ConfigurationException(key, key + " in " + fileName + " uses ${" + matcher.group(1)
                            + "}, which is not set in the environment; set " + matcher.group(1)
                            + ", or write $${ for a literal ${");
                }
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(result).toString();
    }

    /**
     * Every {@code pgdbm.*} key of the file, and every {@code PGDBM_*} environment variable, must be one pgdbm knows;
     * the others are the application's own.
     */
    private static void checkKeys(Set<String> keys, Path file, Map<String, String> environment) {
        List<ConfigKeys.Unknown> unknown = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith("pgdbm.") && !ConfigKeys.isKnown(key)) {
                unknown.add(new ConfigKeys.Unknown(key, "in " + file.toAbsolutePath()));
            }
        }
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (variable.regionMatches(true, 0, "PGDBM_", 0, 6) && !ConfigKeys.isKnownEnvironmentName(variable)) {
                unknown.add(new ConfigKeys.Unknown(variable, "environment variable"));
            }
        }
        if (!unknown.isEmpty()) {
            throw ConfigKeys.unknown(unknown);
        }
    }
}
