package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.smallrye.metrics.legacyapi.LegacyMetricsExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.assertj.core.api.Condition;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metrics in MicroProfile Metrics (SmallRye) and in Micrometer, with the contract's names and tags. */
class MetricsTest {

    private TestDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Map<String, String> ownPool(String... more) {
        return Containers.ownPool(database, more);
    }

    @DatabaseModule(schema = "metered", migrations = "db/notes")
    @ApplicationScoped
    static class Metered {
        @Inject
        ModuleDatabase db;

        ModuleDatabase db() {
            return db;
        }
    }

    /** The registry as an application gets it: injected. */
    @ApplicationScoped
    static class Registry {
        @Inject
        MetricRegistry registry;

        MetricRegistry get() {
            return registry;
        }
    }

    /** Runs known statements: 2 inserts (one in a batch of 2 rows), 1 failing insert, 3 selects, 1 update. */
    private static void work(ModuleDatabase db) {
        db.execute("INSERT INTO {{tables.notes}} VALUES (1, 'a')");
        db.executeBatch("INSERT INTO {{tables.notes}} VALUES (?, ?)", List.of(new Object[] {2, "b"},
                new Object[] {3, "c"}));
        assertThatThrownBy(() -> db.execute("INSERT INTO {{tables.notes}} VALUES (1, 'again')"))
                .isInstanceOf(QueryException.class);
        db.useTransaction(tx -> {
            tx.fetchAll("SELECT * FROM {{tables.notes}}");
            tx.execute("UPDATE {{tables.notes}} SET body = 'z' WHERE id = 1");
            tx.fetchValue("SELECT count(*) FROM {{tables.notes}}", Long.class);
        });
        db.fetchValue("SELECT body FROM {{tables.notes}} WHERE id = 1", String.class);
    }

    @Test
    void microProfileMetricsCountEveryStatementByModuleAndOperation() {
        try (WeldContainer container = start(ownPool("pgdbm.slow-query-threshold", "PT0.000001S"), Metered.class,
                Registry.class)) {
            MetricRegistry registry = container.select(Registry.class).get().get();
            Tag module = new Tag("module", "metered");
            // The application registry lives as long as the JVM: count what this test's work adds.
            long inserts = count(registry, "pgdbm.query.duration", module, new Tag("operation", "insert"));
            long selects = count(registry, "pgdbm.query.duration", module, new Tag("operation", "select"));
            long updates = count(registry, "pgdbm.query.duration", module, new Tag("operation", "update"));
            long duplicates = counter(registry, "pgdbm.query.errors", module, new Tag("sqlstate", "23505"));
            long slow = counter(registry, "pgdbm.query.slow", module);

            work(container.select(Metered.class).get().db());

            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "insert")) - inserts)
                    .isEqualTo(3);
            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "select")) - selects)
                    .isEqualTo(3);
            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "update")) - updates)
                    .isEqualTo(1);
            assertThat(counter(registry, "pgdbm.query.errors", module, new Tag("sqlstate", "23505")) - duplicates)
                    .isEqualTo(1);
            assertThat(counter(registry, "pgdbm.query.slow", module) - slow).as("every statement, at a 1µs threshold")
                    .isEqualTo(7);
            assertThat(counter(registry, "pgdbm.migrations.applied", module)).isGreaterThanOrEqualTo(1);
            SortedMap<MetricID, Gauge> max = registry.getGauges((id, metric) -> id.getName().equals("pgdbm.pool.max")
                    && id.getTags().get("datasource").equals("default"));
            assertThat(max.values()).singleElement().satisfies(gauge -> assertThat(gauge.getValue().intValue())
                    .isEqualTo(3));
        }
    }

    private static long count(MetricRegistry registry, String name, Tag... tags) {
        Timer timer = registry.getTimer(new MetricID(name, tags));
        return timer == null ? 0 : timer.getCount();
    }

    private static long counter(MetricRegistry registry, String name, Tag... tags) {
        Counter counter = registry.getCounter(new MetricID(name, tags));
        return counter == null ? 0 : counter.getCount();
    }

    private static WeldContainer start(Map<String, String> config, Class<?>... beans) {
        return Containers.start(Containers.Kind.FULL, config, weld -> weld.addExtension(new LegacyMetricsExtension()),
                beans);
    }

    @Test
    void metricsCanBeSwitchedOff() {
        try (WeldContainer container = start(ownPool("pgdbm.metrics.enabled", "false"), Metered.class,
                Registry.class)) {
            MetricRegistry registry = container.select(Registry.class).get().get();
            long before = registry.getTimers((id, metric) -> id.getName().equals("pgdbm.query.duration")
                    && id.getTags().get("module").equals("metered")).values().stream()
                    .mapToLong(Timer::getCount).sum();

            work(container.select(Metered.class).get().db());

            assertThat(registry.getTimers((id, metric) -> id.getName().equals("pgdbm.query.duration")
                    && id.getTags().get("module").equals("metered")).values().stream()
                    .mapToLong(Timer::getCount).sum()).isEqualTo(before);
        }
    }

    @Test
    void microProfileMetricsWinOverMicrometerAndSlowStatementsAndPoolsAreReadableFromTheRegistryBean() {
        try (WeldContainer container = start(ownPool("pgdbm.slow-query-threshold", "PT0.000001S"), Metered.class,
                Registry.class, PrometheusRegistry.class)) {
            MetricRegistry registry = container.select(Registry.class).get().get();
            long inserts = count(registry, "pgdbm.query.duration", new Tag("module", "metered"),
                    new Tag("operation", "insert"));
            long micrometerInserts = micrometerInserts();

            container.select(Metered.class).get().db().execute("INSERT INTO {{tables.notes}} VALUES (41, 'x')");

            assertThat(count(registry, "pgdbm.query.duration", new Tag("module", "metered"),
                    new Tag("operation", "insert")) - inserts).isEqualTo(1);
            assertThat(micrometerInserts()).as("nothing recorded twice").isEqualTo(micrometerInserts);
            DatabaseModules modules = container.select(DatabaseModules.class).get();
            assertThat(modules.slowQueries()).last().satisfies(slow -> {
                assertThat(slow.module()).isEqualTo("metered");
                assertThat(slow.sql()).isEqualTo("INSERT INTO \"metered\".\"notes\" VALUES (41, 'x')");
            });
            assertThat(modules.poolStats()).containsOnlyKeys("").hasValueSatisfying(
                    new Condition<>(stats -> stats.max() == 3, "a pool of 3"));
        }
    }

    /** The README's Prometheus sample: the lines of the block after "What a Prometheus registry shows". */
    private static List<String> readmePrometheusSample() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        int intro = -1;
        for (int i = 0; i < readme.size() && intro < 0; i++) {
            intro = readme.get(i).startsWith("What a Prometheus registry shows") ? i : -1;
        }
        assertThat(intro).as("the README's Prometheus sample").isNotNegative();
        List<String> block = readme.subList(intro + 3, readme.size()).stream().takeWhile(line -> !line.equals("```"))
                .toList();
        assertThat(block).hasSizeGreaterThan(3);
        return block;
    }

    private static long micrometerInserts() {
        return PrometheusRegistry.REGISTRY.find("pgdbm.query.duration").tag("module", "metered")
                .tag("operation", "insert").timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count)
                .sum();
    }

    /** A Micrometer host: a Prometheus registry as a bean, and no MicroProfile Metrics. */
    @ApplicationScoped
    static class PrometheusRegistry {
        static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        @Produces
        MeterRegistry registry() {
            return REGISTRY;
        }
    }

    @Test
    void micrometerRegistryGetsTheSameMetricsInPrometheusText() throws IOException {
        String scrape;
        try (WeldContainer container = Containers.start(ownPool(), PrometheusRegistry.class, Metered.class)) {
            work(container.select(Metered.class).get().db());
            scrape = PrometheusRegistry.REGISTRY.scrape();
        }

        assertThat(scrape).contains("pgdbm_query_duration_seconds_count{module=\"metered\",operation=\"insert\"} 3");
        assertThat(scrape).contains("pgdbm_query_errors_total{module=\"metered\",sqlstate=\"23505\"} 1");
        assertThat(scrape).contains("pgdbm_migrations_applied_total{module=\"metered\"} 1");
        assertThat(scrape).contains("pgdbm_pool_max{datasource=\"default\"} 3");
        for (String sample : readmePrometheusSample()) {
            assertThat(scrape).as("README sample line").contains(sample.substring(0, sample.lastIndexOf(' ') + 1));
        }
        assertThat(PrometheusRegistry.REGISTRY.scrape()).as("the closed pool's gauges are gone with it")
                .doesNotContain("pgdbm_pool_max").contains("pgdbm_migrations_applied_total{module=\"metered\"} 1");
    }
}
