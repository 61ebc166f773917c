package io.pgdbm;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects one module's {@link ModuleDatabase} for injection anywhere:
 * {@code @Inject @Module("users") ModuleDatabase users;}. Inside a {@link DatabaseModule} class a plain
 * {@code @Inject ModuleDatabase} already means the class's own module.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Module {

    /** The module's name. */
    String value();
}
