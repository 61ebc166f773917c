package io.pgdbm.it.shop;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;

/**
 * {@code @Transactional} methods that write through two modules (users, and orders, whose rows reference the users'
 * accounts) in the server's transaction. Each takes {@code fail}: the method then throws after its writes.
 */
@ApplicationScoped
public class Shop {

    @Inject
    @Module("users")
    ModuleDatabase users;

    @Inject
    @Module("orders")
    ModuleDatabase orders;

    @Inject
    Ledger ledger;

    /** An account and an order for it; the order references the account written a statement ago, uncommitted. */
    @Transactional
    public long open(String email, boolean fail) {
        long account = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class,
                email);
        orders.execute("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?)", account, BigDecimal.TEN);
        if (fail) {
            throw new IllegalStateException("payment declined");
        }
        return account;
    }

    /** The same through {@code inTransaction}, which joins the server's transaction. */
    @Transactional
    public long openInTransaction(String email, boolean fail) {
        long account = orders.inTransaction(tx -> {
            long id = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class,
                    email);
            tx.execute("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?)", id, BigDecimal.ONE);
            return id;
        });
        if (fail) {
            throw new IllegalStateException("payment declined after inTransaction returned");
        }
        return account;
    }

    /** A nested {@code inTransaction} whose statement fails is rolled back alone (a savepoint); the rest commits. */
    @Transactional
    public void openWithAFailedNestedPart(String email) {
        users.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
            try {
                tx.useTransaction(inner -> {
                    inner.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email + ".nested");
                    inner.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
                });
            } catch (RuntimeException expected) {
                // the unique violation: only the nested part is undone
            }
            tx.execute("UPDATE {{tables.accounts}} SET name = 'kept' WHERE email = ?", email);
        });
    }

    /** An account in this transaction and one in a REQUIRES_NEW transaction; then {@code fail}. */
    @Transactional
    public void openWithAnIndependentEntry(String email, boolean fail) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        ledger.record(email + ".ledger");
        if (fail) {
            throw new IllegalStateException("declined after the ledger entry");
        }
    }
}
