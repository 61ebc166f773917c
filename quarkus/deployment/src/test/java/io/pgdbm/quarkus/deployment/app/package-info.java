/**
 * The application the extension's tests run: two modules, each with its own migrations folder
 * ({@link io.pgdbm.quarkus.deployment.app.UsersModule}, {@link io.pgdbm.quarkus.deployment.app.OrdersModule}), and
 * {@code GET /migrations} ({@link io.pgdbm.quarkus.deployment.app.MigrationsReport}), which tells which start answers
 * and what each module's history holds.
 */
package io.pgdbm.quarkus.deployment.app;
