package io.pgdbm.it.shop;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;

/** Not a module and not transactional: changes two modules in one pgdbm transaction. */
@ApplicationScoped
public class Checkout {

    @Inject
    @Module("users")
    ModuleDatabase users;

    @Inject
    @Module("orders")
    ModuleDatabase orders;

    /**
     * Places an order and counts it on the account, atomically. {@code fail}: "work" throws after both writes,
     * "statement" ends with a statement PostgreSQL rejects; anything else commits.
     */
    public long checkout(long accountId, BigDecimal total, String fail) {
        return orders.inTransaction(tx -> {
            long id = tx.fetchValue("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?) RETURNING id",
                    Long.class, accountId, total);
            users.execute("UPDATE {{tables.accounts}} SET orders = orders + 1 WHERE id = ?", accountId);
            if ("work".equals(fail)) {
                throw new IllegalStateException("payment declined");
            }
            if ("statement".equals(fail)) {
                tx.execute("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?)", -1L, total);
            }
            return id;
        });
    }
}
