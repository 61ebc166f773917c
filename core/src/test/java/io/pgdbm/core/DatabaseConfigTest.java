package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    @Test
    void defaultsMatchTheContract() {
        DatabaseConfig config = DatabaseConfig.builder().build();

        assertThat(config.poolMaxSize()).isEqualTo(10);
        assertThat(config.poolMinIdle()).isEqualTo(2);
        assertThat(config.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectAttempts()).isEqualTo(3);
        assertThat(config.connectBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.connectMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.idleInTransactionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.sslMode()).isEqualTo(SslMode.PREFER);
        assertThat(config.logValues()).isFalse();
    }

    @Test
    void catalogueDefaultsAgreeWithTheBuilderDefaults() {
        DatabaseConfig fromDefaults = DatabaseConfig.builder().build();
        DatabaseConfig.Builder fromCatalogue = DatabaseConfig.builder();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.defaultValue() != null && key.scope() == ConfigKey.Scope.DATASOURCE) {
                fromCatalogue.property(key.key(), key.defaultValue());
            }
        }

        assertThat(fromCatalogue.build().toString()).isEqualTo(fromDefaults.toString());
    }

    @Test
    void readsEverySettingByItsKey() {
        DatabaseConfig config = DatabaseConfig.builder().properties(Map.ofEntries(
                Map.entry("pgdbm.datasource.url", "jdbc:postgresql://db.example:6543/shop"),
                Map.entry("pgdbm.datasource.username", "shop"),
                Map.entry("pgdbm.datasource.password", "s3cret"),
                Map.entry("pgdbm.pool.max-size", "20"),
                Map.entry("pgdbm.pool.min-idle", "0"),
                Map.entry("pgdbm.pool.acquire-timeout", "PT2S"),
                Map.entry("pgdbm.connect.attempts", "5"),
                Map.entry("pgdbm.connect.backoff", "500ms"),
                Map.entry("pgdbm.connect.max-backoff", "10m"),
                Map.entry("pgdbm.statement-timeout", "0"),
                Map.entry("pgdbm.lock-timeout", "2s"),
                Map.entry("pgdbm.idle-in-transaction-timeout", "1h"),
                Map.entry("pgdbm.ssl.mode", "require"),
                Map.entry("pgdbm.application-name", "shop-service"),
                Map.entry("pgdbm.log-values", "true"),
                Map.entry("unrelated.key", "ignored"))).build();

        assertThat(config.url()).contains("jdbc:postgresql://db.example:6543/shop");
        assertThat(config.username()).contains("shop");
        assertThat(config.password()).contains("s3cret");
        assertThat(config.poolMaxSize()).isEqualTo(20);
        assertThat(config.poolMinIdle()).isZero();
        assertThat(config.acquireTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.connectAttempts()).isEqualTo(5);
        assertThat(config.connectBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.connectMaxBackoff()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.statementTimeout()).isZero();
        assertThat(config.lockTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.idleInTransactionTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(config.applicationName()).isEqualTo("shop-service");
        assertThat(config.logValues()).isTrue();
    }

    @Test
    void minIdleAboveMaxSizeNamesBothSettings() {
        assertThatThrownBy(() -> DatabaseConfig.builder().poolMaxSize(4).poolMinIdle(5).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.pool.min-idle (5)")
                .hasMessageContaining("pgdbm.pool.max-size (4)")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("pgdbm.pool.min-idle");
    }

    @Test
    void badDurationSaysWhichFormsAreAccepted() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.statement-timeout", "30"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.statement-timeout")
                .hasMessageContaining("500ms, 30s, 10m");
    }

    @Test
    void durationTooLongForItsSettingNamesTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.connect.backoff", "999999999999999999d"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.connect.backoff")
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.statement-timeout", "100000000000000000s")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.statement-timeout")
                .hasMessageContaining("PostgreSQL's limit");
    }

    @Test
    void misspelledKeyUnderAPoolPrefixFailsInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> DatabaseConfig.builder().properties(Map.of("pgdbm.pool.max_size", "50")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown pgdbm setting pgdbm.pool.max_size (given to DatabaseConfig.Builder; did "
                        + "you mean pgdbm.pool.max-size?)");
        assertThat(DatabaseConfig.builder().properties(Map.of("pgdbm.migrate.at-start", "false")).build())
                .as("keys of other layers pass through").isNotNull();
    }

    @Test
    void urlCannotOverrideTheCertificateSettingsOrErrorDetailBehindTheirBacks(@org.junit.jupiter.api.io.TempDir
            Path dir) throws Exception {
        Path root = java.nio.file.Files.writeString(dir.resolve("root.crt"), "x");
        Path other = java.nio.file.Files.writeString(dir.resolve("other.crt"), "x");

        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:postgresql://h/db?sslrootcert=" + other)
                .sslMode(SslMode.VERIFY_FULL).sslRootCert(root).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.ssl.root-cert (" + root + ") differs from the file named in "
                        + "pgdbm.datasource.url");
        assertThat(DatabaseConfig.builder().url("jdbc:postgresql://h/db?sslrootcert=" + root).build().sslRootCert())
                .contains(root);
        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:postgresql://h/db?logServerErrorDetail=true")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("set that instead");
    }

    @Test
    void unknownSslModeListsTheAllowedValues() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.ssl.mode", "verify"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.ssl.mode")
                .hasMessageContaining("disable, allow, prefer, require, verify-ca, verify-full");
    }

    @Test
    void unknownKeyIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.pool.maxsize", "3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown pgdbm setting pgdbm.pool.maxsize")
                .hasMessageContaining("did you mean pgdbm.pool.max-size?")
                .hasMessageContaining("Valid keys: pgdbm.datasource.url, ");
    }

    @Test
    void notANumberNamesTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.pool.max-size", "ten"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.pool.max-size = 'ten' is not a whole number");
    }

    @Test
    void acquireTimeoutBelowHikarisMinimumIsRejected() {
        assertThatThrownBy(() -> DatabaseConfig.builder().acquireTimeout(Duration.ofMillis(100)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.pool.acquire-timeout = 100ms must be at least 250ms");
    }

    @Test
    void backoffLongerThanItsCapIsAContradiction() {
        assertThatThrownBy(() -> DatabaseConfig.builder().connectBackoff(Duration.ofSeconds(5))
                .connectMaxBackoff(Duration.ofSeconds(1)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.connect.max-backoff (1s)")
                .hasMessageContaining("pgdbm.connect.backoff (5s)");
    }

    @Test
    void clientCertificateWithoutKeyNamesBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cert = java.nio.file.Files.writeString(dir.resolve("client.crt"), "x");

        assertThatThrownBy(() -> DatabaseConfig.builder().sslMode(SslMode.VERIFY_FULL).sslCert(cert).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.ssl.cert is set but pgdbm.ssl.key is not");
    }

    @Test
    void missingRootCertificateFileFailsAtBuild() {
        assertThatThrownBy(() -> DatabaseConfig.builder().sslMode(SslMode.VERIFY_FULL)
                .sslRootCert(Path.of("/nonexistent/root.crt")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.ssl.root-cert = /nonexistent/root.crt does not exist");
    }

    @Test
    void certificateWithSslDisabledIsAContradiction(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path root = java.nio.file.Files.writeString(dir.resolve("root.crt"), "x");

        assertThatThrownBy(() -> DatabaseConfig.builder().sslMode(SslMode.DISABLE).sslRootCert(root).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.ssl.root-cert is set but pgdbm.ssl.mode is disable");
    }

    @Test
    void sslModeInUrlAndSettingMustAgree() {
        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:postgresql://h/db?sslmode=disable")
                .sslMode(SslMode.VERIFY_FULL).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.ssl.mode is verify-full but pgdbm.datasource.url says sslmode=disable");
        assertThat(DatabaseConfig.builder().url("jdbc:postgresql://h/db?sslmode=require").build().sslMode())
                .isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void applicationNameInUrlAndSettingMustAgree() {
        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:postgresql://h/db?ApplicationName=from-url")
                .applicationName("from-setting").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.application-name is from-setting but pgdbm.datasource.url says "
                        + "ApplicationName=from-url; set it in one place only");
        assertThat(DatabaseConfig.builder().url("jdbc:postgresql://h/db?ApplicationName=from-url").build()
                .applicationName()).isEqualTo("from-url");
        assertThat(DatabaseConfig.builder().build().applicationName()).isEqualTo("pgdbm");
    }

    @Test
    void differentPasswordsInUrlAndSettingAreRejectedWithoutPrintingEither() {
        assertThatThrownBy(() -> DatabaseConfig.builder().url("postgresql://app:fromurl@h:5432/db")
                .password("fromsetting").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.datasource.password differs from the one in pgdbm.datasource.url")
                .hasMessageNotContaining("fromurl")
                .hasMessageNotContaining("fromsetting");
    }

    @Test
    void libpqStyleUrlProvidesCredentials() {
        DatabaseConfig config = DatabaseConfig.builder().url("postgresql://app:p%40ss@db.example:6000/shop").build();

        assertThat(config.username()).contains("app");
        assertThat(config.password()).contains("p@ss");
    }

    @Test
    void urlThatIsNotPostgresIsRejected() {
        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:mysql://h/db").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.datasource.url")
                .hasMessageContaining("jdbc:postgresql://host:5432/database");
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseConfig config = DatabaseConfig.builder().url("postgresql://app:topsecret@h/db").build();

        assertThat(config.toString()).doesNotContain("topsecret").contains("password=****");
    }

    @Test
    void durationsParseAndPrintTheConfigurationForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    }

    @Test
    void socketTimeoutIsTheStatementTimeoutPlusTenSecondsUnlessSet() {
        assertThat(DatabaseConfig.builder().build().socketTimeout()).isEqualTo(Duration.ofSeconds(70));
        assertThat(DatabaseConfig.builder().statementTimeout(Duration.ofMillis(2500)).build().socketTimeout())
                .as("rounded up to whole seconds").isEqualTo(Duration.ofSeconds(13));
        assertThat(DatabaseConfig.builder().statementTimeout(Duration.ZERO).build().socketTimeout()).isZero();
        assertThat(DatabaseConfig.builder().socketTimeout(Duration.ofSeconds(5)).build().socketTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(DatabaseConfig.builder().socketTimeout(Duration.ZERO).build().socketTimeout()).isZero();
        DatabaseConfig derived = DatabaseConfig.builder().build();
        assertThat(derived.toBuilder().statementTimeout(Duration.ofSeconds(20)).build().socketTimeout())
                .as("a derived value is derived again").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void socketTimeoutAndLeakDetectionThresholdAreReadByTheirKeys() {
        DatabaseConfig config = DatabaseConfig.builder().properties(Map.of(
                "pgdbm.socket-timeout", "90s",
                "pgdbm.pool.leak-detection-threshold", "10s")).build();

        assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DatabaseConfig.builder().build().leakDetectionThreshold()).isZero();
        assertThat(config.toString()).contains("socketTimeout=90s", "leakDetectionThreshold=10s");
    }

    @Test
    void negativeOrFractionalSocketTimeoutIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.socket-timeout", "PT-5S").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.socket-timeout = -5s must not be negative (0 turns it off)");
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.socket-timeout", "-5s"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("pgdbm.socket-timeout: '-5s' is not a duration");
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.socket-timeout", "1500ms").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.socket-timeout = 1500ms must be whole seconds: pgjdbc's socketTimeout counts "
                        + "seconds");
    }

    @Test
    void leakDetectionThresholdOutsideHikariCpsRangeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.pool.leak-detection-threshold", "PT-1S")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.pool.leak-detection-threshold = -1s must not be negative (0 turns it off)");
        for (String value : new String[] {"1999ms", "31m"}) {
            assertThatThrownBy(() -> DatabaseConfig.builder().property("pgdbm.pool.leak-detection-threshold", value)
                    .build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("pgdbm.pool.leak-detection-threshold = " + value + " must be 0 (off) or between 2s "
                            + "and 30m: HikariCP turns a shorter one, or one longer than a connection's 30m "
                            + "lifetime, off");
        }
        assertThat(DatabaseConfig.builder().leakDetectionThreshold(Duration.ofSeconds(2)).build()
                .leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void socketTimeoutInTheUrlTakesThePlaceOfTheDerivedOneAndMustAgreeWithTheKey() {
        String url = "jdbc:postgresql://db.example/shop?socketTimeout=45";
        assertThat(DatabaseConfig.builder().url(url).build().socketTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(DatabaseConfig.builder().url(url).socketTimeout(Duration.ofSeconds(45)).build().socketTimeout())
                .isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> DatabaseConfig.builder().url(url).socketTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.socket-timeout is 30s but pgdbm.datasource.url says socketTimeout=45 (seconds); "
                        + "set it in one place only");
        assertThatThrownBy(() -> DatabaseConfig.builder().url("jdbc:postgresql://db.example/shop?socketTimeout=-1")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("pgdbm.datasource.url: parameter socketTimeout=-1 is not a whole number of seconds, 0 "
                        + "or more");
    }
}
