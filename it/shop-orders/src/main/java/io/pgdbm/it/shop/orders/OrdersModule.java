package io.pgdbm.it.shop.orders;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The orders module, shipped in a library jar with its migrations (so on a server they are in the WAR's
 * {@code WEB-INF/lib}). Its table references the users module's, so its migrations run after that module's; by name
 * alone ("orders" before "users") they would run first.
 */
@DatabaseModule(name = "orders", schema = "shop_orders", migrations = "db/orders", dependsOn = "users")
@ApplicationScoped
public class OrdersModule {

    private ModuleDatabase db;

    /** For the container's proxy. */
    protected OrdersModule() {
    }

    @Inject
    public OrdersModule(ModuleDatabase db) {
        this.db = db;
    }

    public ModuleDatabase db() {
        return db;
    }

    /** The email of the account an order belongs to: a join across the two schemas, written from this module. */
    public String ownerOf(long orderId) {
        return db.fetchValue("SELECT a.email FROM {{tables.orders}} o JOIN {{tables.users.accounts}} a "
                + "ON a.id = o.account_id WHERE o.id = ?", String.class, orderId);
    }
}
