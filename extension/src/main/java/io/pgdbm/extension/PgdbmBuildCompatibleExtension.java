package io.pgdbm.extension;

import io.pgdbm.DatabaseModule;
import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.MethodConfig;
import jakarta.enterprise.inject.build.compatible.spi.ParameterConfig;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanDisposer;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticObserver;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.EventContext;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.AnnotationMember;
import jakarta.enterprise.lang.model.declarations.DeclarationInfo;
import jakarta.enterprise.lang.model.declarations.FieldInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Inject;
import jakarta.inject.Qualifier;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build compatible extension (CDI Lite: Quarkus). It does what {@link PgdbmExtension} does for CDI Full, in the
 * phases CDI Lite has: finds the {@link DatabaseModule} classes and points their unqualified {@code ModuleDatabase}
 * injection points at their own module ({@code @Enhancement}), collects every {@code ModuleDatabase} injection point
 * ({@code @Registration}), and checks them all and registers the {@link DatabaseModules} bean, one
 * {@code @Module(name) ModuleDatabase} bean per module, and a {@link Startup} observer that starts them, migrations
 * included, before the application's own start-up observers ({@code @Synthesis}).
 *
 * <p>Where the portable extension runs (Weld), this one stays off, so no bean is registered twice.
 */
@SkipIfPortableExtensionPresent(PgdbmExtension.class)
public class PgdbmBuildCompatibleExtension implements BuildCompatibleExtension {

    private static final Logger LOG = LoggerFactory.getLogger(PgdbmBuildCompatibleExtension.class);

    private static final String SEPARATOR = ",";
    private static final String HEALTH_CHECK = "org.eclipse.microprofile.health.HealthCheck";

    private final List<ModuleDeclaration> declarations = new ArrayList<>();
    private final List<String> unnamed = new ArrayList<>();
    private final List<String[]> named = new ArrayList<>();

    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = DatabaseModule.class)
    public void discover(ClassConfig type) {
        AnnotationInfo annotation = type.info().annotation(DatabaseModule.class);
        if (annotation == null) {
            return;
        }
        ModuleDeclaration declaration = ModuleDeclaration.of(type.info().name(), string(annotation, "name"),
                string(annotation, "schema"), string(annotation, "migrations"), strings(annotation, "dependsOn"),
                string(annotation, "datasource"));
        declarations.add(declaration);
        ModuleLiteral own = ModuleLiteral.of(declaration.name());
        type.fields().stream()
                .filter(field -> field.info().hasAnnotation(Inject.class))
                .filter(field -> wantsUnnamedModule(field.info().type(), field.info().annotations()))
                .forEach(field -> field.addAnnotation(own));
        for (MethodConfig method : type.constructors()) {
            if (method.info().hasAnnotation(Inject.class)) {
                method.parameters().forEach(param -> qualify(param, own));
            }
        }
        for (MethodConfig method : type.methods()) {
            MethodInfo info = method.info();
            boolean injected = info.hasAnnotation(Inject.class) || info.hasAnnotation(Produces.class)
                    || info.parameters().stream().anyMatch(p -> p.hasAnnotation(Observes.class)
                            || p.hasAnnotation(ObservesAsync.class) || p.hasAnnotation(Disposes.class));
            if (injected) {
                method.parameters().forEach(param -> qualify(param, own));
            }
        }
    }

    private static void qualify(ParameterConfig param, ModuleLiteral own) {
        var info = param.info();
        boolean event = info.hasAnnotation(Observes.class) || info.hasAnnotation(ObservesAsync.class)
                || info.hasAnnotation(Disposes.class);
        if (!event && wantsUnnamedModule(info.type(), info.annotations())) {
            param.addAnnotation(own);
        }
    }

    private static boolean isModuleDatabase(Type type) {
        return type.isClass() && type.asClass().declaration().name().equals(ModuleDatabase.class.getName());
    }

    private static boolean wantsUnnamedModule(Type type, Collection<AnnotationInfo> annotations) {
        return isModuleDatabase(type) && annotations.stream()
                .noneMatch(annotation -> annotation.declaration().hasAnnotation(Qualifier.class));
    }

    private static String string(AnnotationInfo annotation, String member) {
        AnnotationMember value = annotation.hasMember(member) ? annotation.member(member) : null;
        return value == null ? "" : value.asString();
    }

    private static List<String> strings(AnnotationInfo annotation, String member) {
        AnnotationMember value = annotation.hasMember(member) ? annotation.member(member) : null;
        return value == null ? List.of() : value.asArray().stream().map(AnnotationMember::asString).toList();
    }

    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        for (InjectionPointInfo point : bean.injectionPoints()) {
            if (!isModuleDatabase(point.type())) {
                continue;
            }
            String where = describe(point.declaration());
            String name = null;
            boolean onlyDefault = true;
            for (AnnotationInfo qualifier : point.qualifiers()) {
                String type = qualifier.declaration().name();
                if (type.equals(Module.class.getName())) {
                    name = qualifier.value().asString();
                } else if (!type.equals(Default.class.getName()) && !type.equals(Any.class.getName())) {
                    onlyDefault = false;
                }
            }
            if (name != null) {
                named.add(new String[] {where, name});
            } else if (onlyDefault) {
                unnamed.add(where);
            }
        }
    }

    private static String describe(DeclarationInfo declaration) {
        if (declaration.isField()) {
            FieldInfo field = declaration.asField();
            return field.declaringClass().name() + "." + field.name();
        }
        if (declaration.isParameter()) {
            MethodInfo method = declaration.asParameter().declaringMethod();
            return method.declaringClass().name()
                    + (method.isConstructor() ? " (constructor parameter)" : "." + method.name());
        }
        return declaration.toString();
    }

    /**
     * Checks what discovery found and registers the beans. The beans are registered even when there are problems, so
     * the container's own "unsatisfied dependency" errors do not hide pgdbm's messages (the container fails the
     * deployment on them before any bean is created).
     */
    @Synthesis
    public void register(SyntheticComponents components, Messages messages) {
        if (declarations.isEmpty()) {
            messages.warn(DiscoveryHints.noModulesDiscoveredLite());
        }
        ModuleDescriptors.Resolution resolution = ModuleDescriptors.resolve(declarations);
        resolution.problems().forEach(messages::error);
        List<ModuleDescriptor> modules = resolution.modules();
        List<String> names = resolution.problems().isEmpty() ? modules.stream().map(ModuleDescriptor::name).toList()
                : declarations.stream().map(ModuleDeclaration::name).distinct().toList();
        for (String where : unnamed) {
            messages.error(InjectionPoints.unnamedModuleProblem(where, names));
        }
        for (String[] point : named) {
            if (!names.contains(point[1])) {
                messages.error(InjectionPoints.unknownModuleProblem(point[0], point[1], names));
            }
        }
        // Quarkus removes at build time every bean that no injection point asks for, and this one may be reached by
        // lookup only (the start-up observer and the module beans below); a bean with a name is never removed.
        components.addBean(DatabaseModules.class)
                .type(DatabaseModules.class)
                .name(DatabaseModules.class.getName())
                .scope(ApplicationScoped.class)
                .withParam("names", names.toArray(String[]::new))
                .withParam("schemas", modules.stream().map(ModuleDescriptor::schema).toArray(String[]::new))
                .withParam("migrations", modules.stream().map(ModuleDescriptor::migrations).toArray(String[]::new))
                .withParam("dependsOn", modules.stream().map(m -> String.join(SEPARATOR, m.dependsOn()))
                        .toArray(String[]::new))
                .withParam("datasources", modules.stream().map(ModuleDescriptor::datasource).toArray(String[]::new))
                .withParam("declaredBy", modules.stream().map(m -> String.join(SEPARATOR, m.declaredBy()))
                        .toArray(String[]::new))
                .createWith(ModulesCreator.class)
                .disposeWith(ModulesDisposer.class);
        for (String name : names) {
            components.addBean(ModuleDatabase.class)
                    .type(ModuleDatabase.class)
                    .qualifier(ModuleLiteral.of(name))
                    .scope(ApplicationScoped.class)
                    .withParam("module", name)
                    .createWith(ModuleCreator.class);
        }
        if (MetricsBackends.present(HEALTH_CHECK) && resolution.problems().isEmpty()) {
            HealthChecks.register(components, modules);
        }
        components.addObserver(Startup.class)
                .priority(Interceptor.Priority.PLATFORM_BEFORE)
                .observeWith(StartupObserver.class);
    }

    /** Creates the {@link DatabaseModules} bean, and starts it: datasources, then migrations. */
    public static class ModulesCreator implements SyntheticBeanCreator<DatabaseModules> {

        @Override
        public DatabaseModules create(Instance<Object> lookup, Parameters params) {
            String[] names = params.get("names", String[].class);
            String[] schemas = params.get("schemas", String[].class);
            String[] migrations = params.get("migrations", String[].class);
            String[] dependsOn = params.get("dependsOn", String[].class);
            String[] datasources = params.get("datasources", String[].class);
            String[] declaredBy = params.get("declaredBy", String[].class);
            List<ModuleDescriptor> modules = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                modules.add(new ModuleDescriptor(names[i], schemas[i], migrations[i], split(dependsOn[i]),
                        datasources[i], split(declaredBy[i])));
            }
            DatabaseModules registry = new DatabaseModules(modules);
            try {
                registry.start(ConfigProvider.getConfig(), lookup);
            } catch (RuntimeException e) {
                DeploymentException failure = StartupFailure.of(e);
                // The container reports this as its own failure (Quarkus: "Failed to start quarkus", then ArC's
                // "Error creating synthetic bean"), with pgdbm's summary deep among the causes of a stack trace; logged
                // here, it is the first line of the report.
                LOG.error("{}", failure.getMessage());
                throw failure;
            }
            return registry;
        }

        private static List<String> split(String joined) {
            return joined.isEmpty() ? List.of() : List.of(joined.split(SEPARATOR));
        }
    }

    /** Closes the pools pgdbm opened when the container stops. */
    public static class ModulesDisposer implements SyntheticBeanDisposer<DatabaseModules> {

        @Override
        public void dispose(DatabaseModules modules, Instance<Object> lookup, Parameters params) {
            modules.close();
        }
    }

    /** Creates one module's {@code ModuleDatabase} bean. */
    public static class ModuleCreator implements SyntheticBeanCreator<ModuleDatabase> {

        @Override
        public ModuleDatabase create(Instance<Object> lookup, Parameters params) {
            return lookup.select(DatabaseModules.class).get().module(params.get("module", String.class));
        }
    }

    /** Starts the modules when the container starts, before the application's start-up observers. */
    public static class StartupObserver implements SyntheticObserver<Startup> {

        @Override
        public void observe(EventContext<Startup> event, Parameters params) {
            // Touching the bean creates it, and creating it starts it.
            CDI.current().select(DatabaseModules.class).get().names();
        }
    }
}
