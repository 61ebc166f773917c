package io.pgdbm.extension;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Qualifier;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;

/** What the extension needs to know about {@code ModuleDatabase} injection points, for both kinds of CDI. */
final class InjectionPoints {

    private InjectionPoints() {
    }

    /** Whether an injection point of {@code type} with {@code annotations} wants a module but names none. */
    static boolean wantsUnnamedModule(Type type, Collection<Annotation> annotations) {
        return type == ModuleDatabase.class && annotations.stream()
                .noneMatch(annotation -> annotation.annotationType().isAnnotationPresent(Qualifier.class));
    }

    /** The {@code @Module} name an injection point asks for, or {@code null}. */
    static String moduleName(InjectionPoint point) {
        for (Annotation qualifier : point.getQualifiers()) {
            if (qualifier instanceof Module module) {
                return module.value();
            }
        }
        return null;
    }

    /** Where an injection point is, as messages name it: {@code com.acme.Reports.db}. */
    static String describe(InjectionPoint point) {
        Member member = point.getMember();
        if (member == null) {
            return String.valueOf(point);
        }
        String owner = member.getDeclaringClass().getName();
        return member instanceof Constructor<?> ? owner + " (constructor parameter)"
                : owner + "." + member.getName();
    }

    /** The message for a {@code ModuleDatabase} injected without a module outside a module class. */
    static String unnamedModuleProblem(String where, List<String> modules) {
        return where + " injects ModuleDatabase without saying which module: annotate its class with "
                + "@DatabaseModule(schema = \"...\") to make the class a module, or the injection point with "
                + "@Module(\"<name>\") to use another module's database (modules: " + modules + ")";
    }

    /** The message for {@code @Module("x")} naming no module. */
    static String unknownModuleProblem(String where, String name, List<String> modules) {
        return where + " injects @Module(\"" + name + "\") ModuleDatabase, but there is no module " + name
                + " (modules: " + modules + "); fix the name, or declare it with @DatabaseModule(name = \"" + name
                + "\", schema = \"...\")";
    }
}
