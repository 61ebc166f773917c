/**
 * A small Quarkus application on pgdbm, for the integration test: two modules ({@link io.pgdbm.it.quarkus.UsersModule},
 * and {@link io.pgdbm.it.quarkus.OrdersModule}, which depends on it) and a bean that is not a module and changes both
 * in one transaction ({@link io.pgdbm.it.quarkus.Checkout}). The application adds {@code pgdbm-extension} and
 * Quarkus's datasource, and no {@code pgdbm.*} setting.
 *
 * <p>Run its tests from the root of the repository with {@code mvn -pl it/quarkus -am verify}.
 */
package io.pgdbm.it.quarkus;
