package io.pgdbm.extension;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.ConfigKeys;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Names;
import io.pgdbm.core.migration.MigrationOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code pgdbm.*} setting the extension uses, read from MicroProfile Config once when the container starts; the
 * query path never reads configuration.
 */
final class PgdbmSettings {

    private static final Logger LOG = LoggerFactory.getLogger(PgdbmSettings.class);

    /** Module keys of the command line's project file, which the extension leaves to it. */
    private static final Set<String> COMMAND_LINE_MODULE_KEYS = Set.of("migrations", "depends-on");

    private final Config config;
    private final boolean migrateAtStart;
    private final MigrationOptions migrationOptions;
    private final boolean metricsEnabled;

    private PgdbmSettings(Config config, boolean migrateAtStart, MigrationOptions migrationOptions,
            boolean metricsEnabled) {
        this.config = config;
        this.migrateAtStart = migrateAtStart;
        this.migrationOptions = migrationOptions;
        this.metricsEnabled = metricsEnabled;
    }

    /**
     * Reads and checks the settings for these modules.
     *
     * @throws ConfigurationException naming the key, for a value that does not parse, a misspelt {@code pgdbm.*}
     *     key, or a per-module key for a module that does not exist
     */
    static PgdbmSettings read(Config config, Collection<ModuleDescriptor> modules) {
        Set<String> moduleNames = new TreeSet<>();
        Set<String> datasourceNames = new TreeSet<>();
        modules.forEach(module -> {
            moduleNames.add(module.name());
            if (!module.datasource().isEmpty()) {
                datasourceNames.add(module.datasource());
            }
        });
        checkKeys(config, moduleNames, datasourceNames);
        Map<String, String> migration = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.MIGRATION) {
                value(config, key.key()).ifPresent(value -> migration.put(key.key(), value));
            }
        }
        boolean atStart = value(config, ConfigKey.MIGRATE_AT_START.key())
                .map(ConfigKey.MIGRATE_AT_START::parseBoolean).orElse(true);
        boolean metrics = value(config, ConfigKey.METRICS_ENABLED.key())
                .map(ConfigKey.METRICS_ENABLED::parseBoolean).orElse(true);
        return new PgdbmSettings(config, atStart, MigrationOptions.fromProperties(migration), metrics);
    }

    /**
     * Every {@code pgdbm.*} key in the configuration, and every {@code PGDBM_*} environment variable, must be one pgdbm
     * knows: a misspelt key fails, not vanishes. A variable is checked by its own name, as MicroProfile Config lists it
     * ({@code PGDBM_POOL_MAX_SIZE}); SmallRye Config also lists it under dotted guesses ({@code pgdbm.pool.max.size}),
     * which are not what the user wrote and are skipped.
     */
    private static void checkKeys(Config config, Set<String> moduleNames, Set<String> datasourceNames) {
        List<ConfigKeys.Unknown> unknown = new ArrayList<>();
        for (String name : toSortedSet(config.getPropertyNames())) {
            if (name.indexOf('.') < 0 && name.regionMatches(true, 0, "PGDBM_", 0, 6)) {
                if (!ConfigKeys.isKnownEnvironmentName(name)) {
                    unknown.add(new ConfigKeys.Unknown(name, originOf(config, name, true)));
                    continue;
                }
                ConfigKeys.namedEnvironment(name).ifPresent(named -> checkNamed(named, name, moduleNames,
                        datasourceNames));
                continue;
            }
            if (!name.startsWith("pgdbm.") || isEnvironmentGuess(config, name)) {
                continue;
            }
            Optional<ConfigKeys.NamedKey> named = ConfigKeys.named(name);
            if (named.isPresent() && named.get().isKnownSetting()) {
                checkNamed(named.get(), name, moduleNames, datasourceNames);
            } else if (!ConfigKeys.isKnown(name)) {
                unknown.add(new ConfigKeys.Unknown(name, originOf(config, name, false)));
            }
        }
        if (!unknown.isEmpty()) {
            throw ConfigKeys.unknown(unknown);
        }
    }

    /** A per-module or per-datasource key, as {@code written}, must name a module or datasource that exists. */
    private static void checkNamed(ConfigKeys.NamedKey named, String written, Set<String> moduleNames,
            Set<String> datasourceNames) {
        // An environment variable's name is upper case; the module's may not be.
        boolean environment = !written.startsWith("pgdbm.");
        Set<String> known = named.kind() == ConfigKeys.NamedKey.Kind.MODULE ? moduleNames : datasourceNames;
        boolean exists = known.stream().anyMatch(name -> environment ? name.equalsIgnoreCase(named.name())
                : name.equals(named.name()));
        if (exists) {
            if (named.kind() == ConfigKeys.NamedKey.Kind.MODULE && COMMAND_LINE_MODULE_KEYS.contains(named.setting())) {
                LOG.info("pgdbm - {} is a setting of the command line's project file; the extension takes the "
                        + "module's migrations and dependencies from its @DatabaseModule", written);
            }
            return;
        }
        if (named.kind() == ConfigKeys.NamedKey.Kind.MODULE) {
            throw new ConfigurationException(written, written + " is set, but there is no module " + named.name()
                    + " (modules: " + moduleNames + "); fix the name or remove the setting");
        }
        throw new ConfigurationException(written, written + " is set, but no module uses datasource " + named.name()
                + " (@DatabaseModule(datasource = ...) names " + (datasourceNames.isEmpty() ? "none" : datasourceNames)
                + "); fix the name or remove the setting");
    }

    /**
     * Whether a dotted name is the configuration's guess at an environment variable (SmallRye Config lists
     * {@code PGDBM_POOL_MAX_SIZE} also as {@code pgdbm.pool.max.size}): the variable's own name gives the same value
     * from the same source.
     */
    private static boolean isEnvironmentGuess(Config config, String name) {
        ConfigValue variable = config.getConfigValue(ConfigKeys.environmentForm(name));
        ConfigValue guess = config.getConfigValue(name);
        return variable.getRawValue() != null && variable.getRawValue().equals(guess.getRawValue())
                && Objects.equals(variable.getSourceName(), guess.getSourceName());
    }

    /**
     * Where a setting was made, for messages: an environment variable (a name in the environment's form that the
     * environment source gave), or the configuration source's name.
     */
    private static String originOf(Config config, String name, boolean variableForm) {
        String source = config.getConfigValue(name).getSourceName();
        if (source == null) {
            return "in the configuration";
        }
        return variableForm && source.toLowerCase(Locale.ROOT).contains("env") ? "environment variable"
                : "in " + source;
    }

    private static Set<String> toSortedSet(Iterable<String> names) {
        Set<String> set = new TreeSet<>();
        names.forEach(set::add);
        return set;
    }

    private static Optional<String> value(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(value -> !value.isEmpty());
    }

    /** A per-name key, in its quoted form ({@code pgdbm.module."users".schema}) or plain ({@code ...users.schema}). */
    private Optional<String> named(String prefix, String name, String suffix) {
        return value(config, prefix + "\"" + name + "\"." + suffix).or(() -> value(config, prefix + name + "." + suffix));
    }

    boolean migrateAtStart() {
        return migrateAtStart;
    }

    MigrationOptions migrationOptions() {
        return migrationOptions;
    }

    boolean metricsEnabled() {
        return metricsEnabled;
    }

    /** The schema the host gives module {@code module}, or the annotation's. */
    String schemaOf(ModuleDescriptor module) {
        Optional<String> override = named("pgdbm.module.", module.name(), "schema");
        if (override.isPresent() && !Names.isValid(override.get())) {
            String key = ConfigKey.MODULE_SCHEMA.forName(module.name());
            throw new ConfigurationException(key, key + " = '" + override.get() + "' is not allowed: "
                    + Names.explain());
        }
        return override.orElse(module.schema());
    }

    /** Whether module {@code module}'s migrations run at start-up ({@code pgdbm.module."<name>".migrate}). */
    boolean migrates(ModuleDescriptor module) {
        ConfigKey key = ConfigKey.MODULE_MIGRATE;
        return named("pgdbm.module.", module.name(), "migrate").map(key::parseBoolean).orElse(true);
    }

    /**
     * One datasource's settings: {@code pgdbm.datasource.*} for the default one ({@code name} empty),
     * {@code pgdbm.datasource."<name>".*} for a named one.
     */
    DataSourceSettings datasource(String name) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : ConfigKeys.datasourceSettings()) {
            Optional<String> value = name.isEmpty() ? value(config, "pgdbm.datasource." + key)
                    : named("pgdbm.datasource.", name, key);
            value.ifPresent(v -> values.put(key, v));
        }
        Map<String, String> pool = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.DATASOURCE && !key.key().startsWith("pgdbm.datasource.")) {
                value(config, key.key()).ifPresent(value -> pool.put(key.key(), value));
            }
        }
        return new DataSourceSettings(name, values, pool);
    }

    /**
     * Where one datasource comes from.
     *
     * @param name empty for the default datasource
     * @param values the set ones of url, username, password, jndi, bean
     * @param poolSettings the pool, connection, timeout and TLS settings (shared by every own pool)
     */
    record DataSourceSettings(String name, Map<String, String> values, Map<String, String> poolSettings) {

        /** The key of one of {@code url}, {@code jndi}, ... for this datasource, as messages name it. */
        String key(String setting) {
            return name.isEmpty() ? "pgdbm.datasource." + setting : "pgdbm.datasource.\"" + name + "\"." + setting;
        }

        Optional<String> get(String setting) {
            return Optional.ofNullable(values.get(setting));
        }

        /** The label pgdbm gives this datasource in logs and pool names. */
        String label() {
            return name.isEmpty() ? "default" : name;
        }

        /** The configuration of the pool pgdbm owns for {@code url}, or of a borrowed one (no URL). */
        DatabaseConfig toConfig(boolean ownPool) {
            DatabaseConfig.Builder builder = DatabaseConfig.builder().name(label());
            if (ownPool) {
                builder.properties(poolSettings);
                get("url").ifPresent(builder::url);
                get("username").ifPresent(builder::username);
                get("password").ifPresent(builder::password);
            } else {
                // A borrowed DataSource keeps its owner's pool settings; these two are pgdbm's own.
                for (ConfigKey key : List.of(ConfigKey.LOG_VALUES, ConfigKey.SLOW_QUERY_THRESHOLD)) {
                    String value = poolSettings.get(key.key());
                    if (value != null) {
                        builder.property(key.key(), value);
                    }
                }
            }
            return builder.build();
        }
    }
}
