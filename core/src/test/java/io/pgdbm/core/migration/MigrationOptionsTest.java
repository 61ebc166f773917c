package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.DatabaseConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationOptionsTest {

    @Test
    void catalogueDefaultsAgreeWithTheDefaults() {
        Map<String, String> defaults = new HashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.scope() == ConfigKey.Scope.MIGRATION) {
                defaults.put(key.key(), key.defaultValue());
            }
        }

        assertThat(defaults).hasSize(5);
        assertThat(MigrationOptions.fromProperties(defaults)).isEqualTo(MigrationOptions.defaults());
    }

    @Test
    void readsEveryMigrationSettingAndIgnoresOtherKeys() {
        MigrationOptions options = MigrationOptions.fromProperties(Map.of(
                "pgdbm.migrate.lock-wait", "90s",
                "pgdbm.migrate.statement-timeout", "PT1H",
                "pgdbm.migrate.allow-out-of-order", "TRUE",
                "pgdbm.migrate.allow-missing", "true",
                "pgdbm.migrate.allow-changed", " false ",
                "pgdbm.migrate.at-start", "false",
                "pgdbm.pool.max-size", "3",
                "quarkus.http.port", "8080"));

        assertThat(options).isEqualTo(new MigrationOptions(Duration.ofSeconds(90), Duration.ofHours(1), true, true,
                false));
    }

    @Test
    void misspeltOrBadValuesNameTheKey() {
        assertThatThrownBy(() -> MigrationOptions.fromProperties(Map.of("pgdbm.migrate.lockwait", "1m")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown setting pgdbm.migrate.lockwait; known migration settings: "
                        + "[pgdbm.migrate.lock-wait, ");
        assertThatThrownBy(() -> MigrationOptions.fromProperties(Map.of("pgdbm.migrate.lock-wait", "ten minutes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("pgdbm.migrate.lock-wait: ");
        assertThatThrownBy(() -> MigrationOptions.fromProperties(Map.of("pgdbm.migrate.lock-wait", "PT-5S")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.migrate.lock-wait = -5s must not be negative");
        assertThatThrownBy(() -> MigrationOptions.fromProperties(Map.of("pgdbm.migrate.statement-timeout", "30d")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.migrate.statement-timeout = 720h must be at most 2147483647ms");
        assertThatThrownBy(() -> MigrationOptions.fromProperties(Map.of("pgdbm.migrate.allow-missing", "yes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.migrate.allow-missing = 'yes' must be true or false");
    }

    @Test
    void datasourceBuilderLeavesMigrationSettingsToTheMigrator() {
        DatabaseConfig config = DatabaseConfig.builder()
                .properties(Map.of("pgdbm.migrate.lock-wait", "1m", "pgdbm.pool.max-size", "4")).build();

        assertThat(config.poolMaxSize()).isEqualTo(4);
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.migrate.lock-wait", "1m"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.migrate.lock-wait is a migration setting, not a datasource one; pass it "
                        + "to MigrationOptions.fromProperties");
    }
}
