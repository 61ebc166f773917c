package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test field (or parameter) that {@link PgdbmTestDatabase} fills with the current test database: a
 * {@code DataSource}, a {@code Pgdbm}, the {@code PgdbmTestDatabase} itself, or a {@code String}, which gets the
 * database's JDBC URL. Module databases use {@code @Module("name")} instead.
 *
 * <pre>{@code
 * @Injected DataSource dataSource;
 * @Injected String jdbcUrl;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface Injected {
}
