package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Names;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    /** The per-module settings the command line reads; the extension reads {@code schema} and {@code migrate}. */
    static final List<String> MODULE_SETTINGS = List.of("migrations", "schema", "depends-on", "migrate");
    /** The per-datasource settings of a named datasource, which the extension reads (the command has one database). */
    private static final List<String> NAMED_DATASOURCE_SETTINGS =
            List.of("url", "username", "password", "jndi", "bean");

    /** {@code pgdbm.module."users".schema} or {@code pgdbm.module.users.schema}: the name, then the setting. */
    private static final Pattern MODULE_KEY = Pattern.compile("pgdbm\\.module\\.(\"?)([A-Za-z0-9_]+)\\1\\.([^.]+)");
    private static final Pattern NAMED_DATASOURCE_KEY = Pattern.compile(
            "pgdbm\\.datasource\\.(\"?)([A-Za-z0-9_.-]+)\\1\\.(url|username|password|jndi|bean)");
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
            checkKeys(values.keySet(), chosen);
        }
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
                    + environmentNames(ConfigKey.DATASOURCE_URL.key()).get(2) + ", or pgdbm.datasource.url in "
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
            Matcher matcher = MODULE_KEY.matcher(key);
            if (matcher.matches()) {
                names.add(matcher.group(2));
            }
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
                    + environmentNames(moduleKey(name, "migrations")).get(2) + ")");
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
            for (String name : environmentNames(key)) {
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

    /**
     * The environment variables MicroProfile Config reads a key from, in its order: the key itself, then every
     * character other than a letter or digit replaced by {@code _}, then that in upper case.
     */
    private static List<String> environmentNames(String key) {
        String sanitised = key.replaceAll("[^A-Za-z0-9]", "_");
        return List.of(key, sanitised, sanitised.toUpperCase(Locale.ROOT));
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

    /** Every {@code pgdbm.*} key must be one pgdbm knows; the others in the file are the application's own. */
    private static void checkKeys(Set<String> keys, Path file) {
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith("pgdbm.") && !isKnown(key)) {
                String suggestion = suggestion(key);
                unknown.add(key + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(unknown.get(0), (unknown.size() == 1 ? "Unknown setting " : "Unknown "
                    + "settings ") + String.join(", ", unknown) + " in " + file.toAbsolutePath() + "; fix or remove "
                    + (unknown.size() == 1 ? "it" : "them") + ". Valid keys: " + String.join(", ", validKeys()));
        }
    }

    private static boolean isKnown(String key) {
        if (ConfigKey.forKey(key) != null || NAMED_DATASOURCE_KEY.matcher(key).matches()) {
            return true;
        }
        Matcher module = MODULE_KEY.matcher(key);
        return module.matches() && MODULE_SETTINGS.contains(module.group(3));
    }

    /** Every valid key, with {@code <name>} for the per-module and per-datasource ones. */
    static List<String> validKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.key().contains("<name>")) {
                keys.add(key.key());
            }
        }
        MODULE_SETTINGS.forEach(setting -> keys.add(moduleKey("<name>", setting)));
        NAMED_DATASOURCE_SETTINGS.forEach(setting -> keys.add("pgdbm.datasource.\"<name>\"." + setting));
        return List.copyOf(keys);
    }

    /** The valid key an unknown one was probably meant to be: the same but for case, dashes or two letters. */
    private static String suggestion(String key) {
        Matcher module = MODULE_KEY.matcher(key);
        if (module.matches()) {
            for (String setting : MODULE_SETTINGS) {
                if (resembles(module.group(3), setting)) {
                    return "pgdbm.module." + module.group(1) + module.group(2) + module.group(1) + "." + setting;
                }
            }
            return null;
        }
        for (String valid : validKeys()) {
            if (!valid.contains("<name>") && resembles(key, valid)) {
                return valid;
            }
        }
        return null;
    }

    private static boolean resembles(String typed, String valid) {
        String a = typed.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        String b = valid.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        return a.equals(b) || distance(typed, valid) <= 2;
    }

    /** The Levenshtein distance: how many letters to insert, delete or change to turn one into the other. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int change = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + change);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
