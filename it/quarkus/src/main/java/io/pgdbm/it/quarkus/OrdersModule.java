package io.pgdbm.it.quarkus;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A module with a name of its own, a dependency and constructor injection. Its table references the users module's,
 * so its migration can only run after that one; by name alone ("orders" before "users") it would run first.
 */
@DatabaseModule(name = "orders", schema = "shop_orders", migrations = "db/orders", dependsOn = "users")
@ApplicationScoped
public class OrdersModule {

    private final ModuleDatabase db;

    @Inject
    public OrdersModule(ModuleDatabase db) {
        this.db = db;
    }

    public ModuleDatabase db() {
        return db;
    }
}
