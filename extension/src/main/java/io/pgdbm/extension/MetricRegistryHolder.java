package io.pgdbm.extension;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Reaches the MicroProfile Metrics registry through an injection point. Some producers of it (SmallRye Metrics,
 * Payara) read the injection point's annotations and fail on a programmatic lookup, which has none; an injected
 * {@code Instance} carries its field's. Added as a bean by {@link PgdbmExtension} only when MicroProfile Metrics is
 * on the class path.
 */
@Dependent
public class MetricRegistryHolder {

    @Inject
    Instance<MetricRegistry> registry;

    /** The application registry, or {@code null} when the container has none. */
    MetricRegistry registry() {
        return registry.isResolvable() ? registry.get() : null;
    }
}
