package io.pgdbm.extension;

import io.pgdbm.core.Operation;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.StatementEvent;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** pgdbm's metrics in MicroProfile Metrics 5.1's application registry. Meters are looked up once per module. */
final class MicroProfileMetrics implements MetricsBackend {

    private static final Logger LOG = LoggerFactory.getLogger(MicroProfileMetrics.class);

    private final MetricRegistry registry;
    private final ConcurrentHashMap<String, ModuleMeters> modules = new ConcurrentHashMap<>();

    private MicroProfileMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * The backend over the container's application registry, or {@code null} when there is none or it cannot be had:
     * metrics are optional, so a registry that fails to resolve must not fail the application.
     */
    static MetricsBackend from(Instance<Object> lookup) {
        MetricRegistry registry;
        try {
            Instance<MetricRegistryHolder> holder = lookup.select(MetricRegistryHolder.class);
            if (holder.isResolvable()) {
                registry = holder.get().registry();
            } else {
                Instance<MetricRegistry> direct = lookup.select(MetricRegistry.class);
                registry = direct.isResolvable() ? direct.get() : null;
            }
        } catch (RuntimeException e) {
            LOG.warn("pgdbm - the MicroProfile Metrics registry could not be had ({}); no MicroProfile metrics "
                    + "recorded", e.toString());
            return null;
        }
        return registry == null ? null : new MicroProfileMetrics(registry);
    }

    /** One module's meters, created on its first statement. */
    private final class ModuleMeters {
        final Tag module;
        final Timer[] durations = new Timer[Operation.values().length];
        final Counter slow;
        final Counter migrations;
        final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();

        ModuleMeters(String name) {
            module = new Tag("module", name);
            for (Operation operation : Operation.values()) {
                durations[operation.ordinal()] = registry.timer("pgdbm.query.duration", module,
                        new Tag("operation", operation.tag()));
            }
            slow = registry.counter("pgdbm.query.slow", module);
            migrations = registry.counter("pgdbm.migrations.applied", module);
        }

        Counter errors(String sqlState) {
            return errors.computeIfAbsent(sqlState,
                    state -> registry.counter("pgdbm.query.errors", module, new Tag("sqlstate", state)));
        }
    }

    private ModuleMeters meters(String module) {
        ModuleMeters meters = modules.get(module);
        return meters != null ? meters : modules.computeIfAbsent(module, ModuleMeters::new);
    }

    @Override
    public void statementExecuted(StatementEvent event) {
        ModuleMeters meters = meters(event.module());
        meters.durations[event.operation().ordinal()].update(Duration.ofNanos(event.nanos()));
        if (event.slow()) {
            meters.slow.inc();
        }
        if (event.failed()) {
            meters.errors(event.sqlState()).inc();
        }
    }

    @Override
    public void migrationApplied(String datasource, String module, String file, long millis) {
        meters(module).migrations.inc();
    }

    @Override
    public void gauge(String name, String datasource, Pgdbm pgdbm, ToIntFunction<PoolStats> value) {
        registry.gauge(name, pgdbm, p -> p.poolStats().map(value::applyAsInt).orElse(0),
                new Tag("datasource", datasource));
    }

    @Override
    public void removePool(String datasource) {
        for (String name : POOL_GAUGES) {
            registry.remove(new MetricID(name, new Tag("datasource", datasource)));
        }
    }
}
