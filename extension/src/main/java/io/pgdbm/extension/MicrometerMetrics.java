package io.pgdbm.extension;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pgdbm.core.Operation;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.StatementEvent;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgdbm's metrics in a Micrometer {@link MeterRegistry} (Quarkus, and other Micrometer hosts), with the same names
 * and tags as the MicroProfile Metrics backend; Micrometer's exporters apply their conventions (Prometheus:
 * {@code pgdbm_query_duration_seconds}).
 */
final class MicrometerMetrics implements MetricsBackend {

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerMetrics.class);

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ModuleMeters> modules = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<Meter>> gauges = new ConcurrentHashMap<>();

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The backend over the container's {@link MeterRegistry} bean, or {@code null} when there is none, several (named
     * in a warning), or it cannot be had: metrics are optional and must not fail the application.
     */
    static MetricsBackend from(Instance<Object> lookup) {
        try {
            Instance<MeterRegistry> registry = lookup.select(MeterRegistry.class);
            if (registry.isAmbiguous()) {
                LOG.warn("pgdbm - several MeterRegistry beans ({}); no Micrometer metrics recorded. Make one of them "
                        + "the default bean, e.g. a CompositeMeterRegistry", registry.handlesStream()
                        .map(handle -> handle.getBean().getBeanClass().getName() + handle.getBean().getQualifiers())
                        .collect(Collectors.joining(", ")));
                return null;
            }
            return registry.isResolvable() ? new MicrometerMetrics(registry.get()) : null;
        } catch (RuntimeException e) {
            LOG.warn("pgdbm - the Micrometer MeterRegistry could not be had ({}); no Micrometer metrics recorded",
                    e.toString());
            return null;
        }
    }

    /** One module's meters, created on its first statement. */
    private final class ModuleMeters {
        final String module;
        final Timer[] durations = new Timer[Operation.values().length];
        final Counter slow;
        final Counter migrations;
        final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();

        ModuleMeters(String module) {
            this.module = module;
            for (Operation operation : Operation.values()) {
                durations[operation.ordinal()] = Timer.builder("pgdbm.query.duration")
                        .description("Statements pgdbm ran, by module and operation")
                        .tag("module", module).tag("operation", operation.tag()).register(registry);
            }
            slow = Counter.builder("pgdbm.query.slow").description("Statements over pgdbm.slow-query-threshold")
                    .tag("module", module).register(registry);
            migrations = Counter.builder("pgdbm.migrations.applied").description("Migration files applied")
                    .tag("module", module).register(registry);
        }

        Counter errors(String sqlState) {
            return errors.computeIfAbsent(sqlState, state -> Counter.builder("pgdbm.query.errors")
                    .description("Statements that failed, by SQLState")
                    .tag("module", module).tag("sqlstate", state).register(registry));
        }
    }

    private ModuleMeters meters(String module) {
        ModuleMeters meters = modules.get(module);
        return meters != null ? meters : modules.computeIfAbsent(module, ModuleMeters::new);
    }

    @Override
    public void statementExecuted(StatementEvent event) {
        ModuleMeters meters = meters(event.module());
        meters.durations[event.operation().ordinal()].record(event.nanos(), TimeUnit.NANOSECONDS);
        if (event.slow()) {
            meters.slow.increment();
        }
        if (event.failed()) {
            meters.errors(event.sqlState()).increment();
        }
    }

    @Override
    public void migrationApplied(String datasource, String module, String file, long millis) {
        meters(module).migrations.increment();
    }

    @Override
    public void gauge(String name, String datasource, Pgdbm pgdbm, ToIntFunction<PoolStats> value) {
        gauges.computeIfAbsent(datasource, key -> new CopyOnWriteArrayList<>())
                .add(Gauge.builder(name, pgdbm, p -> p.poolStats().map(value::applyAsInt).orElse(0))
                        .tag("datasource", datasource).register(registry));
    }

    @Override
    public void removePool(String datasource) {
        List<Meter> registered = gauges.remove(datasource);
        if (registered != null) {
            registered.forEach(registry::remove);
        }
    }
}
