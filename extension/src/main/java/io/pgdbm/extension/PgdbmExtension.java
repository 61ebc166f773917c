package io.pgdbm.extension;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.configurator.AnnotatedParameterConfigurator;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable extension (CDI Full: Weld SE, Payara, Open Liberty, Helidon, WildFly). It finds the
 * {@link DatabaseModule} classes, points their unqualified {@code ModuleDatabase} injection points at their own module,
 * registers one {@code @Module(name) ModuleDatabase} bean per module and a {@link DatabaseModules} bean, and when
 * deployment has been validated opens the datasources and migrates every module, before the application runs. A
 * failure there is a deployment problem: the application does not start.
 *
 * <p>Registered in {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}. CDI Lite containers (Quarkus)
 * do not run portable extensions; a build compatible extension serves them, and stays off where this one runs.
 */
public class PgdbmExtension implements Extension {

    private static final Logger LOG = LoggerFactory.getLogger(PgdbmExtension.class);
    private static final String HEALTH_CHECK = "org.eclipse.microprofile.health.HealthCheck";

    private final List<ModuleDeclaration> declarations = Collections.synchronizedList(new ArrayList<>());
    private final List<InjectionPoint> unnamed = Collections.synchronizedList(new ArrayList<>());
    private final List<InjectionPoint> named = Collections.synchronizedList(new ArrayList<>());
    private volatile DatabaseModules modules;

    void addBeans(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        if (MetricsBackends.present(MetricsBackends.MICROPROFILE_METRICS)) {
            event.addAnnotatedType(beanManager.createAnnotatedType(MetricRegistryHolder.class),
                    MetricRegistryHolder.class.getName());
        }
    }

    <T> void discover(@Observes @WithAnnotations(DatabaseModule.class) ProcessAnnotatedType<T> event) {
        DatabaseModule annotation = event.getAnnotatedType().getAnnotation(DatabaseModule.class);
        if (annotation == null) {
            return;
        }
        ModuleDeclaration declaration = ModuleDeclaration.of(event.getAnnotatedType().getJavaClass().getName(),
                annotation);
        declarations.add(declaration);
        ModuleLiteral own = ModuleLiteral.of(declaration.name());
        var type = event.configureAnnotatedType();
        type.fields().stream()
                .filter(field -> field.getAnnotated().isAnnotationPresent(Inject.class))
                .filter(field -> InjectionPoints.wantsUnnamedModule(field.getAnnotated().getBaseType(),
                        field.getAnnotated().getAnnotations()))
                .forEach(field -> field.add(own));
        type.constructors().stream()
                .filter(constructor -> constructor.getAnnotated().isAnnotationPresent(Inject.class))
                .forEach(constructor -> constructor.params().forEach(param -> qualify(param, own)));
        type.methods().forEach(method -> {
            boolean injected = method.getAnnotated().isAnnotationPresent(Inject.class)
                    || method.getAnnotated().isAnnotationPresent(Produces.class)
                    || method.getAnnotated().getParameters().stream().anyMatch(PgdbmExtension::isEventParameter);
            if (injected) {
                method.params().forEach(param -> qualify(param, own));
            }
        });
    }

    private static boolean isEventParameter(AnnotatedParameter<?> parameter) {
        return parameter.isAnnotationPresent(Observes.class) || parameter.isAnnotationPresent(ObservesAsync.class)
                || parameter.isAnnotationPresent(Disposes.class);
    }

    private static void qualify(AnnotatedParameterConfigurator<?> param, ModuleLiteral own) {
        AnnotatedParameter<?> parameter = param.getAnnotated();
        if (!isEventParameter(parameter)
                && InjectionPoints.wantsUnnamedModule(parameter.getBaseType(), parameter.getAnnotations())) {
            param.add(own);
        }
    }

    void collect(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint point = event.getInjectionPoint();
        if (point.getType() != ModuleDatabase.class) {
            return;
        }
        if (InjectionPoints.moduleName(point) != null) {
            named.add(point);
        } else if (point.getQualifiers().stream().allMatch(q -> q instanceof Default || q instanceof Any)) {
            unnamed.add(point);
        }
    }

    void register(@Observes AfterBeanDiscovery event) {
        if (declarations.isEmpty()) {
            // Most often a missing beans.xml; the container's own error, if any, names a bean but not that cause.
            LOG.warn(DiscoveryHints.noModulesDiscovered());
        }
        ModuleDescriptors.Resolution resolution = ModuleDescriptors.resolve(List.copyOf(declarations));
        resolution.problems().forEach(problem -> event.addDefinitionError(new DefinitionException(problem)));
        if (!resolution.problems().isEmpty()) {
            return;
        }
        List<String> names = resolution.modules().stream().map(ModuleDescriptor::name).toList();
        boolean wrong = false;
        for (InjectionPoint point : List.copyOf(unnamed)) {
            event.addDefinitionError(new DefinitionException(InjectionPoints.unnamedModuleProblem(
                    InjectionPoints.describe(point), names)));
            wrong = true;
        }
        for (InjectionPoint point : List.copyOf(named)) {
            String name = InjectionPoints.moduleName(point);
            if (!names.contains(name)) {
                // Weld SE sees no class outside bean archives: the declaring class may be in a jar without beans.xml.
                String problem = InjectionPoints.unknownModuleProblem(InjectionPoints.describe(point), name, names);
                event.addDefinitionError(new DefinitionException(problem + ". "
                        + DiscoveryHints.undiscoveredModule(name)));
                wrong = true;
            }
        }
        if (wrong) {
            return;
        }
        DatabaseModules registry = new DatabaseModules(resolution.modules());
        modules = registry;
        event.addBean()
                .types(DatabaseModules.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class)
                .beanClass(DatabaseModules.class)
                .createWith(context -> registry);
        if (MetricsBackends.present(HEALTH_CHECK)) {
            HealthChecks.register(event, registry, resolution.modules());
        }
        for (String name : names) {
            event.addBean()
                    .types(ModuleDatabase.class, Object.class)
                    .qualifiers(ModuleLiteral.of(name), Any.Literal.INSTANCE)
                    .scope(ApplicationScoped.class)
                    .beanClass(DatabaseModules.class)
                    .createWith(context -> registry.module(name));
        }
    }

    void start(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        DatabaseModules registry = modules;
        if (registry == null) {
            return;
        }
        try {
            registry.start(ConfigProvider.getConfig(), beanManager.createInstance());
        } catch (RuntimeException e) {
            event.addDeploymentProblem(StartupFailure.of(e));
        }
    }

    void stop(@Observes BeforeShutdown event) {
        DatabaseModules registry = modules;
        if (registry != null) {
            registry.close();
        }
    }
}
