package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test field, or a parameter of a test method or constructor, that {@link PgdbmTestDatabase} fills with the
 * current test database. It fills nothing else, so it never competes with another parameter resolver, such as a CDI
 * container's that fills {@code @Inject} fields and unannotated parameters.
 *
 * <ul>
 *   <li>{@code ModuleDatabase}: the module named by {@code @Module("name")} next to it, or the only module;</li>
 *   <li>{@code DataSource}, {@code Pgdbm}, {@code PgdbmTestDatabase}: the current database's;</li>
 *   <li>{@code String}: the current database's JDBC URL.</li>
 * </ul>
 *
 * <pre>{@code
 * @Injected @Module("orders") ModuleDatabase orders;
 * @Injected DataSource dataSource;
 * @Injected String jdbcUrl;
 *
 * @Test
 * void placesAnOrder(@Injected @Module("users") ModuleDatabase users) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface Injected {
}
