package io.pgdbm.examples.quickstart;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The users module: owns the accounts table, created by its migrations in {@code db/users}. */
@DatabaseModule(schema = "users", migrations = "db/users")
@ApplicationScoped
public class Accounts {

    /** A row of the accounts table; columns map to components by name ({@code order_count}). */
    public record Account(long id, String email, int orderCount) {
    }

    @Inject
    ModuleDatabase db;

    public long create(String email) {
        return db.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class, email);
    }

    public List<Account> all() {
        return db.fetchAll("SELECT id, email, order_count FROM {{tables.accounts}} ORDER BY id", Account.class);
    }

    public Account get(long id) {
        return db.fetchOne("SELECT id, email, order_count FROM {{tables.accounts}} WHERE id = ?", Account.class, id)
                .orElseThrow();
    }

    /** Counts an order; joins the caller's transaction when there is one. */
    public void countOrder(long id) {
        db.execute("UPDATE {{tables.accounts}} SET order_count = order_count + 1 WHERE id = ?", id);
    }
}
