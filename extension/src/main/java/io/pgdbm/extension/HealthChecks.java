package io.pgdbm.extension;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness checks: one per datasource ({@code pgdbm-datasource-<name>}: it answers
 * {@code SELECT 1} within two seconds) and one per module with migrations ({@code pgdbm-module-<name>}: every file
 * applied, none changed, missing or pending). Registered only when MicroProfile Health is on the class path.
 */
final class HealthChecks {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthChecks() {
    }

    static void register(AfterBeanDiscovery event, DatabaseModules modules, List<ModuleDescriptor> descriptors) {
        descriptors.stream().map(ModuleDescriptor::datasource).distinct().forEach(datasource -> {
            String name = "pgdbm-datasource-" + (datasource.isEmpty() ? "default" : datasource);
            add(event, name, () -> {
                String problem = modules.datasourceProblem(datasource, TIMEOUT);
                return HealthCheckResponse.named(name).status(problem == null)
                        .withData("problem", problem == null ? "none" : problem).build();
            });
        });
        for (ModuleDescriptor descriptor : descriptors) {
            if (descriptor.migrations().isEmpty()) {
                continue;
            }
            String name = "pgdbm-module-" + descriptor.name();
            add(event, name, () -> {
                String problem;
                try {
                    problem = modules.migrationProblem(descriptor.name());
                } catch (RuntimeException e) {
                    problem = "cannot read the migration history: " + e.getMessage();
                }
                return HealthCheckResponse.named(name).status(problem == null)
                        .withData("migrations", problem == null ? "all applied" : problem).build();
            });
        }
    }

    private static void add(AfterBeanDiscovery event, String id, HealthCheck check) {
        event.addBean()
                .types(HealthCheck.class, Object.class)
                .qualifiers(Readiness.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class)
                .beanClass(HealthChecks.class)
                .id("io.pgdbm.health." + id)
                .createWith(context -> check);
    }
}
