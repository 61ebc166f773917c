package io.pgdbm.extension;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgdbm.core.StatementListener;

/**
 * Hands the benchmarks the extension's Micrometer backend, which is package-private, without a CDI container: the
 * listener the extension installs on every datasource when the application has a {@link MeterRegistry} bean. Lives
 * in the bench module, in the extension's package; the extension itself does not change.
 */
public final class BenchMetrics {

    private BenchMetrics() {
    }

    /** The extension's Micrometer metrics, recording into {@code registry}. */
    public static StatementListener micrometer(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }
}
