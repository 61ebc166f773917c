package io.pgdbm.core;

import io.pgdbm.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of {@code pgdbm.*} keys around the catalogue ({@link ConfigKey}): the per-module and per-datasource keys,
 * the names MicroProfile Config reads each key from in the environment, and one report of unknown keys, so that the CDI
 * extension, the command line and {@link DatabaseConfig.Builder} reject a misspelt key the same way: as the user wrote
 * it (an environment variable by its own name), with a "did you mean" when one key is close, and the valid keys.
 */
public final class ConfigKeys {

    /** {@code pgdbm.module."users".schema} or {@code pgdbm.module.users.schema}: the name, then the setting. */
    private static final Pattern MODULE_KEY = Pattern.compile("pgdbm\\.module\\.(\"?)([A-Za-z0-9_]+)\\1\\.([^.]+)");
    /** {@code pgdbm.datasource."archive".url}, or {@code pgdbm.datasource.archive.url}. */
    private static final Pattern DATASOURCE_KEY = Pattern.compile(
            "pgdbm\\.datasource\\.(\"?)([A-Za-z0-9_.-]+)\\1\\.([^.]+)");
    /** The environment's forms: {@code PGDBM_MODULE__USERS__SCHEMA} (quoted) or {@code PGDBM_MODULE_USERS_SCHEMA}. */
    private static final Pattern MODULE_ENVIRONMENT = Pattern.compile("PGDBM_MODULE_(_?)([A-Z0-9_]+?)\\1_([A-Z0-9_]+)");
    private static final Pattern DATASOURCE_ENVIRONMENT = Pattern.compile(
            "PGDBM_DATASOURCE_(_?)([A-Z0-9_]+?)\\1_([A-Z0-9_]+)");

    /**
     * Namespaces of pgdbm's own tools, the test server ({@code pgdbm.test.url}, {@code PGDBM_TEST_URL}) and the
     * benchmarks ({@code PGDBM_BENCH_URL}): their keys are theirs, so an application's checks let them through.
     */
    private static final List<String> TOOL_NAMESPACES = List.of("pgdbm.test.", "pgdbm.bench.");

    private static final String MODULE_PREFIX = "pgdbm.module.\"<name>\".";
    private static final String DATASOURCE_PREFIX = "pgdbm.datasource.";

    private ConfigKeys() {
    }

    /**
     * A key that belongs to one module or one named datasource.
     *
     * @param kind which of the two
     * @param name the module's or datasource's name, as written (upper case in an environment variable's name)
     * @param setting what it sets, as in the key ({@code schema}, {@code depends-on}, {@code url})
     */
    public record NamedKey(Kind kind, String name, String setting) {

        /** What a named key belongs to. */
        public enum Kind {
            MODULE, DATASOURCE
        }

        /** Whether pgdbm reads this setting for a module or datasource. */
        public boolean isKnownSetting() {
            return (kind == Kind.MODULE ? moduleSettings() : datasourceSettings()).contains(setting);
        }
    }

    /**
     * A key in a configuration that pgdbm does not know.
     *
     * @param name the key as the user wrote it: an environment variable by its own name
     * @param origin where it was set, for the message: {@code "environment variable"}, {@code "in pgdbm.properties"}
     */
    public record Unknown(String name, String origin) {
    }

    /** The per-module settings: {@code schema}, {@code migrate}, {@code migrations}, {@code depends-on}. */
    public static List<String> moduleSettings() {
        List<String> settings = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.key().startsWith(MODULE_PREFIX)) {
                settings.add(key.key().substring(MODULE_PREFIX.length()));
            }
        }
        return settings;
    }

    /** The settings a named datasource has: {@code url}, {@code username}, {@code password}, {@code jndi}, {@code bean}. */
    public static List<String> datasourceSettings() {
        List<String> settings = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.key().startsWith(DATASOURCE_PREFIX) && !key.key().contains("<name>")) {
                settings.add(key.key().substring(DATASOURCE_PREFIX.length()));
            }
        }
        return settings;
    }

    /** The module or named datasource a key is for, when it has that form (its setting may still be unknown). */
    public static Optional<NamedKey> named(String key) {
        Matcher module = MODULE_KEY.matcher(key);
        if (module.matches()) {
            return Optional.of(new NamedKey(NamedKey.Kind.MODULE, module.group(2), module.group(3)));
        }
        if (ConfigKey.forKey(key) == null) {
            Matcher datasource = DATASOURCE_KEY.matcher(key);
            if (datasource.matches()) {
                return Optional.of(new NamedKey(NamedKey.Kind.DATASOURCE, datasource.group(2), datasource.group(3)));
            }
        }
        return Optional.empty();
    }

    /**
     * The module or named datasource an environment variable is for ({@code PGDBM_MODULE__USERS__SCHEMA}), when it has
     * that form and a known setting; the name comes in upper case, as the variable has it.
     */
    public static Optional<NamedKey> namedEnvironment(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        for (NamedKey.Kind kind : NamedKey.Kind.values()) {
            Matcher matcher = (kind == NamedKey.Kind.MODULE ? MODULE_ENVIRONMENT : DATASOURCE_ENVIRONMENT).matcher(upper);
            if (!matcher.matches()) {
                continue;
            }
            List<String> settings = kind == NamedKey.Kind.MODULE ? moduleSettings() : datasourceSettings();
            for (String setting : settings) {
                if (environmentForm(setting).equals(matcher.group(3))) {
                    return Optional.of(new NamedKey(kind, matcher.group(2), setting));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether pgdbm knows the key: one of the catalogue's, or a known setting of a module or named datasource. */
    public static boolean isKnown(String key) {
        if (TOOL_NAMESPACES.stream().anyMatch(key::startsWith)) {
            return true;
        }
        ConfigKey setting = ConfigKey.forKey(key);
        if (setting != null && !key.contains("<name>")) {
            return true;
        }
        return named(key).map(NamedKey::isKnownSetting).orElse(false);
    }

    /** Whether an environment variable is the name MicroProfile Config reads one of pgdbm's keys from. */
    public static boolean isKnownEnvironmentName(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        if (TOOL_NAMESPACES.stream().anyMatch(namespace -> upper.startsWith(environmentForm(namespace)))) {
            return true;
        }
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.key().contains("<name>") && environmentForm(key.key()).equals(upper)) {
                return true;
            }
        }
        return namedEnvironment(variable).isPresent();
    }

    /**
     * The environment variables MicroProfile Config reads a key from, in its order: the key itself, then every
     * character other than a letter or digit replaced by {@code _}, then that in upper case ({@code PGDBM_POOL_MAX_SIZE};
     * {@code PGDBM_MODULE__USERS__SCHEMA} for {@code pgdbm.module."users".schema}).
     */
    public static List<String> environmentNames(String key) {
        String sanitised = key.replaceAll("[^A-Za-z0-9]", "_");
        return List.of(key, sanitised, sanitised.toUpperCase(Locale.ROOT));
    }

    /** The upper-case environment variable for a key: {@code PGDBM_POOL_MAX_SIZE}. */
    public static String environmentForm(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Every valid key, with {@code "<name>"} for the per-module and per-datasource ones. */
    public static List<String> validKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.key().contains("<name>")) {
                keys.add(key.key());
            }
        }
        moduleSettings().forEach(setting -> keys.add(MODULE_PREFIX + setting));
        datasourceSettings().forEach(setting -> keys.add("pgdbm.datasource.\"<name>\"." + setting));
        return List.copyOf(keys);
    }

    /**
     * The valid key an unknown one was probably meant to be: the same but for case, dashes, underscores or two letters.
     * Works on keys ({@code pgdbm.pool.max-sise}) and on environment variables ({@code PGDBM_POOL_MAXSIZE}).
     */
    public static Optional<String> suggestion(String typed) {
        if (!typed.contains(".")) {
            return environmentSuggestion(typed.toUpperCase(Locale.ROOT));
        }
        Optional<NamedKey> named = named(typed);
        if (named.isPresent() && !named.get().isKnownSetting()) {
            NamedKey key = named.get();
            List<String> settings = key.kind() == NamedKey.Kind.MODULE ? moduleSettings() : datasourceSettings();
            for (String setting : settings) {
                if (resembles(key.setting(), setting)) {
                    return Optional.of(typed.substring(0, typed.length() - key.setting().length()) + setting);
                }
            }
            return Optional.empty();
        }
        for (String valid : validKeys()) {
            if (!valid.contains("<name>") && resembles(typed, valid)) {
                return Optional.of(valid);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> environmentSuggestion(String typed) {
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.key().contains("<name>") && resembles(typed, environmentForm(key.key()))) {
                return Optional.of(environmentForm(key.key()) + ", which sets " + key.key());
            }
        }
        for (NamedKey.Kind kind : NamedKey.Kind.values()) {
            Matcher matcher = (kind == NamedKey.Kind.MODULE ? MODULE_ENVIRONMENT : DATASOURCE_ENVIRONMENT).matcher(typed);
            if (matcher.matches()) {
                for (String setting : kind == NamedKey.Kind.MODULE ? moduleSettings() : datasourceSettings()) {
                    if (resembles(matcher.group(3), environmentForm(setting))) {
                        return Optional.of(typed.substring(0, matcher.start(3)) + environmentForm(setting));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The error for keys pgdbm does not know, each as the user wrote it and where, with a "did you mean" where one key
     * is close, and the valid keys.
     */
    public static ConfigurationException unknown(List<Unknown> unknown) {
        if (unknown.isEmpty()) {
            throw new IllegalArgumentException("no unknown key");
        }
        List<String> described = new ArrayList<>();
        for (Unknown key : unknown) {
            String suggestion = suggestion(key.name()).map(s -> "; did you mean " + s + "?").orElse("");
            described.add(key.name() + " (" + key.origin() + suggestion + ")");
        }
        boolean one = unknown.size() == 1;
        return new ConfigurationException(unknown.get(0).name(), (one ? "Unknown pgdbm setting " : "Unknown pgdbm "
                + "settings ") + String.join(", ", described) + "; fix or remove " + (one ? "it" : "them")
                + ". Valid keys: " + String.join(", ", validKeys()) + "; in the environment, each in upper case with _ "
                + "for every other character (PGDBM_POOL_MAX_SIZE, PGDBM_MODULE__<NAME>__SCHEMA)");
    }

    private static boolean resembles(String typed, String valid) {
        String a = typed.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        String b = valid.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        return a.equals(b) || distance(typed.toLowerCase(Locale.ROOT), valid.toLowerCase(Locale.ROOT)) <= 2;
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
