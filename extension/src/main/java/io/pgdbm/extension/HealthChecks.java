package io.pgdbm.extension;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness checks: one per datasource ({@code pgdbm-datasource-<name>}: it answers
 * {@code SELECT 1} within two seconds) and one per module with migrations ({@code pgdbm-module-<name>}: within two
 * seconds, every file applied, none pending, and none changed or missing unless the settings allow it). Registered, by either extension, only when MicroProfile Health is on the
 * class path.
 */
public final class HealthChecks {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthChecks() {
    }

    static void register(AfterBeanDiscovery event, DatabaseModules modules, List<ModuleDescriptor> descriptors) {
        for (String datasource : datasources(descriptors)) {
            add(event, datasourceCheckName(datasource), datasourceCheck(() -> modules, datasource));
        }
        for (String module : migratingModules(descriptors)) {
            add(event, moduleCheckName(module), moduleCheck(() -> modules, module));
        }
    }

    /** The datasources the modules use, empty for the default one. */
    static List<String> datasources(List<ModuleDescriptor> descriptors) {
        return descriptors.stream().map(ModuleDescriptor::datasource).distinct().toList();
    }

    /** The modules that have migrations. */
    static List<String> migratingModules(List<ModuleDescriptor> descriptors) {
        return descriptors.stream().filter(d -> !d.migrations().isEmpty()).map(ModuleDescriptor::name).toList();
    }

    static String datasourceCheckName(String datasource) {
        return "pgdbm-datasource-" + (datasource.isEmpty() ? "default" : datasource);
    }

    static String moduleCheckName(String module) {
        return "pgdbm-module-" + module;
    }

    static HealthCheck datasourceCheck(Supplier<DatabaseModules> modules, String datasource) {
        String name = datasourceCheckName(datasource);
        return () -> {
            String problem = modules.get().datasourceProblem(datasource, TIMEOUT);
            return HealthCheckResponse.named(name).status(problem == null)
                    .withData("problem", problem == null ? "none" : problem).build();
        };
    }

    static HealthCheck moduleCheck(Supplier<DatabaseModules> modules, String module) {
        String name = moduleCheckName(module);
        return () -> {
            String problem = modules.get().migrationProblem(module, TIMEOUT);
            return HealthCheckResponse.named(name).status(problem == null)
                    .withData("migrations", problem == null ? "all applied" : problem).build();
        };
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

    /** The same checks for CDI Lite, registered as synthetic beans whose creator looks the modules up. */
    static void register(SyntheticComponents components, List<ModuleDescriptor> descriptors) {
        for (String datasource : datasources(descriptors)) {
            components.addBean(HealthCheck.class).type(HealthCheck.class).qualifier(Readiness.Literal.INSTANCE)
                    .scope(ApplicationScoped.class).name(datasourceCheckName(datasource))
                    .withParam("datasource", datasource).createWith(DatasourceCheckCreator.class);
        }
        for (String module : migratingModules(descriptors)) {
            components.addBean(HealthCheck.class).type(HealthCheck.class).qualifier(Readiness.Literal.INSTANCE)
                    .scope(ApplicationScoped.class).name(moduleCheckName(module))
                    .withParam("module", module).createWith(ModuleCheckCreator.class);
        }
    }

    /** Creates a datasource's readiness check (CDI Lite). */
    public static class DatasourceCheckCreator implements SyntheticBeanCreator<HealthCheck> {
        @Override
        public HealthCheck create(Instance<Object> lookup, Parameters params) {
            return datasourceCheck(() -> lookup.select(DatabaseModules.class).get(),
                    params.get("datasource", String.class));
        }
    }

    /** Creates a module's readiness check (CDI Lite). */
    public static class ModuleCheckCreator implements SyntheticBeanCreator<HealthCheck> {
        @Override
        public HealthCheck create(Instance<Object> lookup, Parameters params) {
            return moduleCheck(() -> lookup.select(DatabaseModules.class).get(), params.get("module", String.class));
        }
    }
}
