package io.pgdbm.examples.quickstart;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The orders module: owns the orders table, which references the users module's accounts, so it migrates after it
 * ({@code dependsOn}). It has no scope of its own: {@code @DatabaseModule} is a stereotype, which makes the class a
 * ({@code @Dependent}) bean in this archive's {@code annotated} discovery mode.
 */
@DatabaseModule(schema = "orders", migrations = "db/orders", dependsOn = "users")
public class Orders {

    /** An order joined with its account, read across the two modules. */
    public record PlacedOrder(long id, String item, String email) {
    }

    @Inject
    ModuleDatabase db;

    @Inject
    Accounts accounts;

    /**
     * Places an order and counts it on the account, in one transaction across both modules: the plain call through
     * the users module joins the transaction this one opened. When {@code declined}, both writes are rolled back.
     */
    public long place(long accountId, String item, boolean declined) {
        return db.inTransaction(tx -> {
            long id = tx.fetchValue("INSERT INTO {{tables.orders}} (account_id, item) VALUES (?, ?) RETURNING id",
                    Long.class, accountId, item);
            accounts.countOrder(accountId);
            if (declined) {
                throw new IllegalStateException("payment declined");
            }
            return id;
        });
    }

    public long countFor(long accountId) {
        return db.fetchValue("SELECT count(*) FROM {{tables.orders}} WHERE account_id = ?", Long.class, accountId);
    }

    /** {{tables.users.accounts}} follows the users module wherever the host puts its schema. */
    public List<PlacedOrder> all() {
        return db.fetchAll("""
                SELECT o.id, o.item, a.email
                FROM {{tables.orders}} o JOIN {{tables.users.accounts}} a ON a.id = o.account_id
                ORDER BY o.id""", PlacedOrder.class);
    }
}
