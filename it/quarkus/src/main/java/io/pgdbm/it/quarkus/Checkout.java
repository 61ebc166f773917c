package io.pgdbm.it.quarkus;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;

/** Not a module: reaches two modules by name, and changes both in one transaction. */
@ApplicationScoped
public class Checkout {

    @Inject
    @Module("users")
    ModuleDatabase users;

    @Inject
    @Module("orders")
    ModuleDatabase orders;

    /** Places an order and counts it on the account, atomically; {@code fail} throws after both writes. */
    public long checkout(long accountId, BigDecimal total, boolean fail) {
        return orders.inTransaction(tx -> {
            long id = tx.fetchValue("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?) RETURNING id",
                    Long.class, accountId, total);
            users.execute("UPDATE {{tables.accounts}} SET orders = orders + 1 WHERE id = ?", accountId);
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
            return id;
        });
    }

    public ModuleDatabase users() {
        return users;
    }

    public ModuleDatabase orders() {
        return orders;
    }
}
