package io.pgdbm.extension;

import jakarta.enterprise.inject.Instance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where pgdbm's metrics go: the container's MicroProfile Metrics registry, else its Micrometer registry, else nowhere
 * (WildFly-style containers with neither). Both libraries are optional: a backend's class is loaded only once its
 * library is known to be there.
 */
final class MetricsBackends {

    static final String MICROPROFILE_METRICS = "org.eclipse.microprofile.metrics.MetricRegistry";
    static final String MICROMETER = "io.micrometer.core.instrument.MeterRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsBackends.class);

    private MetricsBackends() {
    }

    /** The backend the container supports, or {@code null} when it has no metrics registry. */
    static MetricsBackend find(Instance<Object> lookup) {
        if (present(MICROPROFILE_METRICS)) {
            MetricsBackend backend = MicroProfileMetrics.from(lookup);
            if (backend != null) {
                LOG.info("pgdbm - recording metrics in MicroProfile Metrics' application registry");
                return backend;
            }
        }
        if (present(MICROMETER)) {
            MetricsBackend backend = MicrometerMetrics.from(lookup);
            if (backend != null) {
                LOG.info("pgdbm - recording metrics in Micrometer's MeterRegistry");
                return backend;
            }
        }
        LOG.info("pgdbm - no MetricRegistry or MeterRegistry bean: no metrics recorded");
        return null;
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, MetricsBackends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
