package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ConfigurationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key grammar the extension, the command line and DatabaseConfig share. */
class ConfigKeysTest {

    @Test
    void knowsTheCatalogueAndThePerNameKeysInBothSpellings() {
        assertThat(ConfigKeys.isKnown("pgdbm.pool.max-size")).isTrue();
        assertThat(ConfigKeys.isKnown("pgdbm.test.url")).isTrue();
        assertThat(ConfigKeys.isKnown("pgdbm.module.\"users\".schema")).isTrue();
        assertThat(ConfigKeys.isKnown("pgdbm.module.users.depends-on")).isTrue();
        assertThat(ConfigKeys.isKnown("pgdbm.datasource.\"arch.ive\".jndi")).isTrue();
        assertThat(ConfigKeys.isKnown("pgdbm.module.\"users\".dependsOn")).isFalse();
        assertThat(ConfigKeys.isKnown("pgdbm.pool.maxsize")).isFalse();
        assertThat(ConfigKeys.isKnown("pgdbm.module.\"<name>\".schema")).as("the catalogue's pattern is no key")
                .isFalse();
        assertThat(ConfigKeys.isKnown("pgdbm.bench.url")).as("the benchmarks' own").isTrue();
    }

    @Test
    void knowsTheEnvironmentNamesMicroProfileConfigReads() {
        assertThat(ConfigKeys.environmentNames("pgdbm.module.\"users\".schema")).containsExactly(
                "pgdbm.module.\"users\".schema", "pgdbm_module__users__schema", "PGDBM_MODULE__USERS__SCHEMA");
        assertThat(ConfigKeys.isKnownEnvironmentName("PGDBM_POOL_MAX_SIZE")).isTrue();
        assertThat(ConfigKeys.isKnownEnvironmentName("PGDBM_TEST_URL")).isTrue();
        assertThat(ConfigKeys.isKnownEnvironmentName("PGDBM_BENCH_URL")).as("the benchmarks' own").isTrue();
        assertThat(ConfigKeys.isKnownEnvironmentName("PGDBM_DATASOURCE_URL")).isTrue();
        assertThat(ConfigKeys.isKnownEnvironmentName("PGDBM_POOL_MAXSIZE")).isFalse();
        assertThat(ConfigKeys.namedEnvironment("PGDBM_MODULE__MY_MODULE__DEPENDS_ON")).contains(
                new ConfigKeys.NamedKey(ConfigKeys.NamedKey.Kind.MODULE, "MY_MODULE", "depends-on"));
        assertThat(ConfigKeys.namedEnvironment("PGDBM_MODULE_USERS_MIGRATE")).contains(
                new ConfigKeys.NamedKey(ConfigKeys.NamedKey.Kind.MODULE, "USERS", "migrate"));
        assertThat(ConfigKeys.namedEnvironment("PGDBM_DATASOURCE__ARCHIVE__URL")).contains(
                new ConfigKeys.NamedKey(ConfigKeys.NamedKey.Kind.DATASOURCE, "ARCHIVE", "url"));
        assertThat(ConfigKeys.namedEnvironment("PGDBM_MODULE__USERS__SCHEME")).isEmpty();
    }

    @Test
    void suggestsTheKeyATypoResembles() {
        assertThat(ConfigKeys.suggestion("pgdbm.pool.max_size")).contains("pgdbm.pool.max-size");
        assertThat(ConfigKeys.suggestion("pgdbm.module.users.scheme")).contains("pgdbm.module.users.schema");
        assertThat(ConfigKeys.suggestion("PGDBM_POOL_MAXSIZE"))
                .contains("PGDBM_POOL_MAX_SIZE, which sets pgdbm.pool.max-size");
        assertThat(ConfigKeys.suggestion("PGDBM_MODULE__USERS__SCHEME")).contains("PGDBM_MODULE__USERS__SCHEMA");
        assertThat(ConfigKeys.suggestion("pgdbm.something.else")).isEqualTo(Optional.empty());
    }

    @Test
    void reportsUnknownKeysAsWrittenWithWhereAndTheValidKeys() {
        ConfigurationException error = ConfigKeys.unknown(List.of(
                new ConfigKeys.Unknown("PGDBM_POOL_MAXSIZE", "environment variable"),
                new ConfigKeys.Unknown("pgdbm.colour", "in app.properties")));

        assertThat(error.key()).isEqualTo("PGDBM_POOL_MAXSIZE");
        assertThat(error).hasMessageStartingWith("Unknown pgdbm settings PGDBM_POOL_MAXSIZE (environment variable; did "
                + "you mean PGDBM_POOL_MAX_SIZE, which sets pgdbm.pool.max-size?), pgdbm.colour (in app.properties); "
                + "fix or remove them. Valid keys: pgdbm.datasource.url, ")
                .hasMessageContaining("pgdbm.module.\"<name>\".depends-on")
                .hasMessageContaining("pgdbm.datasource.\"<name>\".jndi");
    }
}
