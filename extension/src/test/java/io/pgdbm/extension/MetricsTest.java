package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.testsupport.PostgresServer;
import io.pgdbm.core.testsupport.TestDatabase;
import io.smallrye.metrics.legacyapi.LegacyMetricsExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
        database = PostgresServer.shared().createDatabase("metrics");
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
            long insertsBefore = count(registry, "pgdbm.query.duration", module, new Tag("operation", "insert"));

            work(container.select(Metered.class).get().db());

            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "insert")) - insertsBefore)
                    .isEqualTo(3);
            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "select")))
                    .isGreaterThanOrEqualTo(3);
            assertThat(count(registry, "pgdbm.query.duration", module, new Tag("operation", "update")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(counter(registry, "pgdbm.query.errors", module, new Tag("sqlstate", "23505")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(counter(registry, "pgdbm.query.slow", module)).isGreaterThanOrEqualTo(7);
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
    void micrometerRegistryGetsTheSameMetricsInPrometheusText() {
        try (WeldContainer container = Containers.start(ownPool(), PrometheusRegistry.class, Metered.class)) {
            work(container.select(Metered.class).get().db());
        }
        String scrape = PrometheusRegistry.REGISTRY.scrape();

        assertThat(scrape).contains("pgdbm_query_duration_seconds_count{module=\"metered\",operation=\"insert\"} 3");
        assertThat(scrape).contains("pgdbm_query_errors_total{module=\"metered\",sqlstate=\"23505\"} 1");
        assertThat(scrape).contains("pgdbm_migrations_applied_total{module=\"metered\"} 1");
        assertThat(scrape).contains("pgdbm_pool_max{datasource=\"default\"} 3");
    }
}
