package io.pgdbm.it.quarkus;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.TransactionOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An application bean whose {@code @Transactional} methods write through two modules (users, and orders, whose rows
 * reference the users' accounts). Each method records what it saw inside its transaction in {@link #seen}.
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

    @Inject
    TransactionSynchronizationRegistry registry;

    /** What the methods saw inside their transactions. */
    private final List<Object> seen = new ArrayList<>();

    /** What the methods saw inside their transactions, in order; the test clears it. */
    public List<Object> seen() {
        return seen;
    }

    /** An account and an order for it, in the container's transaction; {@code fail}: then throws. */
    @Transactional
    public long open(String email, boolean fail) {
        long account = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class,
                email);
        // The order references the account written a statement ago, uncommitted: only one transaction sees it.
        orders.execute("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?)", account, BigDecimal.TEN);
        seen.add(users.fetchValue("SELECT pg_backend_pid()", Integer.class));
        seen.add(orders.fetchValue("SELECT pg_backend_pid()", Integer.class));
        if (fail) {
            throw new IllegalStateException("payment declined");
        }
        return account;
    }

    /** {@code inTransaction} inside the container's transaction: it joins it; {@code fail}: the method then throws. */
    @Transactional
    public long openInTransaction(String email, boolean fail) {
        long account = orders.inTransaction(tx -> {
            long id = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class,
                    email);
            tx.execute("INSERT INTO {{tables.orders}} (account_id, total) VALUES (?, ?)", id, BigDecimal.ONE);
            return id;
        });
        seen.add(registry.getTransactionStatus());
        if (fail) {
            throw new IllegalStateException("payment declined after inTransaction returned");
        }
        return account;
    }

    /** A nested {@code inTransaction} whose work fails: rolled back alone, the rest commits. */
    @Transactional
    public void openWithAFailedNestedPart(String email) {
        users.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
            try {
                tx.useTransaction(inner -> {
                    inner.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email + ".nested");
                    // A unique violation: the statement fails, and would doom the transaction without the savepoint.
                    inner.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
                });
            } catch (RuntimeException expected) {
                seen.add(expected);
            }
            tx.execute("UPDATE {{tables.accounts}} SET name = 'kept' WHERE email = ?", email);
        });
    }

    /** Writes, then asks the container to roll back, and returns normally. */
    @Transactional
    public void openThenSetRollbackOnly(String email) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        registry.setRollbackOnly();
    }

    /** Marks the transaction rollback-only first, then calls pgdbm. */
    @Transactional
    public void setRollbackOnlyThenWrite(String email) {
        registry.setRollbackOnly();
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
    }

    /** A statement fails and the method catches it: the container transaction must still roll back. */
    @Transactional
    public void openThenSwallowAFailure(String email) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        try {
            users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        } catch (RuntimeException expected) {
            seen.add(expected);
            seen.add(registry.getTransactionStatus());
        }
    }

    /** An account in this transaction, one in a REQUIRES_NEW transaction, then {@code fail}. */
    @Transactional
    public void openWithAnIndependentEntry(String email, boolean fail) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        seen.add(users.fetchValue("SELECT pg_backend_pid()", Integer.class));
        seen.add(ledger.record(email + ".ledger"));
        seen.add(users.fetchValue("SELECT count(*) FROM {{tables.accounts}} WHERE email = ?", Long.class,
                email + ".ledger"));
        if (fail) {
            throw new IllegalStateException("declined after the ledger entry");
        }
    }

    /** REQUIRES_NEW called from inside pgdbm's own unit of work in the container transaction. */
    @Transactional
    public void openInTransactionWithAnIndependentEntry(String email) {
        users.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
            seen.add(ledger.record(email + ".ledger"));
        });
        throw new IllegalStateException("declined after the ledger entry");
    }

    /** Options that cannot apply to a transaction already running. */
    @Transactional
    public void readOnlyInside() {
        users.inTransaction(TransactionOptions.defaults().readOnly(true), tx -> tx.fetchValue("SELECT 1",
                Integer.class));
    }

    /** A batch, a COPY and a stream inside the container's transaction; {@code fail}: then throws. */
    @Transactional
    public long bulk(String prefix, boolean fail) {
        users.executeBatch("INSERT INTO {{tables.accounts}} (email) VALUES (?)",
                List.of(new Object[] {prefix + ".1"}, new Object[] {prefix + ".2"}));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {prefix + ".3"});
        users.copyIn("accounts", List.of("email"), rows);
        long streamed;
        try (Stream<String> emails = users.stream("SELECT email FROM {{tables.accounts}} WHERE email LIKE ?",
                String.class, prefix + ".%")) {
            streamed = emails.count();
        }
        if (fail) {
            throw new IllegalStateException("bulk declined");
        }
        return streamed;
    }
}
