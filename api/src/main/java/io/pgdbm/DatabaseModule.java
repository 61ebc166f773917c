package io.pgdbm;

import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that the annotated bean class is (part of) a module that owns tables in {@link #schema()}, created and
 * changed by the migrations in {@link #migrations()}. In a CDI container, {@code @Inject ModuleDatabase db} inside
 * the class gets this module's database, and the module's migrations run when the container starts.
 *
 * <pre>{@code
 * @DatabaseModule(schema = "users", migrations = "db/users")
 * @ApplicationScoped
 * public class UserRepository {
 *     @Inject ModuleDatabase db;
 * }
 * }</pre>
 *
 * <p>It is a CDI stereotype, so the class is a bean whatever the archive's bean discovery mode. Several classes may
 * declare one module; they must agree on schema, migrations and datasource.
 */
@Stereotype
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DatabaseModule {

    /** The schema the module's tables live in (the host can rename it with {@code pgdbm.module."<name>".schema}). */
    String schema();

    /** Classpath folder of the module's migration files, such as {@code db/users}; {@code ""}: none. */
    String migrations() default "";

    /** The module's name; {@code ""}: the schema. Names the migration lock, the history rows and {@link Module}. */
    String name() default "";

    /** Names of the modules whose migrations must be applied before this one's. */
    String[] dependsOn() default {};

    /** The named datasource ({@code pgdbm.datasource."<name>".*}) the module lives on; {@code ""}: the default one. */
    String datasource() default "";
}
