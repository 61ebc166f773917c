package io.pgdbm.quarkus.deployment.app;

import io.pgdbm.DatabaseModule;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A second module, with a folder of its own written with slashes around it, which pgdbm accepts: dev mode must watch
 * {@code sql/orders} as well.
 */
@DatabaseModule(name = "orders", schema = "shop", migrations = "/sql/orders/", dependsOn = "users")
@ApplicationScoped
public class OrdersModule {
}
