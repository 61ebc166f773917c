package io.pgdbm.examples.quickstart;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * pgdbm in one file: two modules on one pool, templated SQL, and transactions that span both modules.
 *
 * <p>Runs on an embedded PostgreSQL it starts itself, so there is nothing to install or configure. From the root of
 * the repository: {@code mvn -q -pl examples/quickstart -am compile exec:java}.
 */
public final class QuickStart {

    /** A row of the {@code users} module's table; columns map to components by name ({@code order_count}). */
    record Account(long id, String email, int orderCount) {
    }

    /** An order joined with its account, read across the two modules. */
    record PlacedOrder(long id, String item, String email) {
    }

    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        run(System.out);
    }

    /** Runs the quick start, printing what it does to {@code out}. */
    public static void run(PrintStream out) throws IOException {
        // The resources close in reverse order, also when something fails: first the pool, then the server.
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                .start();
                Pgdbm pgdbm = Pgdbm.create(DatabaseConfig.builder()
                        .url("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres")
                        .username("postgres")
                        .build())) {
            // Each module is bound to its own schema; both share the pool pgdbm owns and its transactions.
            ModuleDatabase users = pgdbm.module("users");
            ModuleDatabase orders = pgdbm.module("orders");
            out.println("postgres: embedded PostgreSQL "
                    + users.fetchValue("SHOW server_version", String.class) + " on port " + postgres.getPort());
            out.println("pgdbm: " + pgdbm + " with modules users and orders");

            // Templates: {{schema}} and {{tables.accounts}} name the module's own schema and tables,
            // {{tables.users.accounts}} a table of another module. (Real modules create their tables in migrations.)
            users.execute("CREATE SCHEMA IF NOT EXISTS {{schema}}");
            users.execute("""
                    CREATE TABLE IF NOT EXISTS {{tables.accounts}} (
                        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        email       text NOT NULL UNIQUE,
                        order_count integer NOT NULL DEFAULT 0
                    )""");
            out.println("users: created table " + users.render("{{tables.accounts}}"));
            orders.execute("CREATE SCHEMA IF NOT EXISTS {{schema}}");
            orders.execute("""
                    CREATE TABLE IF NOT EXISTS {{tables.orders}} (
                        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        account_id bigint NOT NULL REFERENCES {{tables.users.accounts}},
                        item       text NOT NULL
                    )""");
            out.println("orders: created table " + orders.render("{{tables.orders}}")
                    + " referencing " + orders.render("{{tables.users.accounts}}"));

            // Inserts and reads. Values are always bound (?), never spliced into the SQL.
            long ada = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id",
                    Long.class, "ada@example.com");
            out.println("users: created account " + ada + " ada@example.com");
            long alan = users.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id",
                    Long.class, "alan@example.com");
            out.println("users: created account " + alan + " alan@example.com");
            for (Account account : users.fetchAll(
                    "SELECT id, email, order_count FROM {{tables.accounts}} ORDER BY id", Account.class)) {
                out.println("users: read " + account);
            }

            // A transaction across both modules: the plain call on `users` joins the transaction `orders` opened,
            // so the order and the account's counter commit together.
            long orderId = orders.inTransaction(tx -> {
                long id = tx.fetchValue("INSERT INTO {{tables.orders}} (account_id, item) VALUES (?, ?) RETURNING id",
                        Long.class, ada, "keyboard");
                users.execute("UPDATE {{tables.accounts}} SET order_count = order_count + 1 WHERE id = ?", ada);

                // A nested transaction is a savepoint: when it fails, only its own work is undone.
                try {
                    tx.useTransaction(nested -> nested.execute(
                            "INSERT INTO {{tables.orders}} (account_id, item) VALUES (?, ?)", 999, "mouse"));
                } catch (QueryException e) {
                    if (!e.isForeignKeyViolation()) {
                        throw e;
                    }
                    out.println("orders: savepoint rolled back alone: no account 999 (SQLState " + e.getSqlState()
                            + ", foreign key violation), the transaction goes on");
                }
                return id;
            });
            Account buyer = users.fetchOne("SELECT id, email, order_count FROM {{tables.accounts}} WHERE id = ?",
                    Account.class, ada).orElseThrow();
            out.println("orders+users: committed order " + orderId + " keyboard; account " + ada + " now has "
                    + buyer.orderCount() + " order(s)");

            // The same transaction failing: whatever either module wrote is rolled back, and the exception comes out.
            try {
                orders.useTransaction(tx -> {
                    tx.execute("INSERT INTO {{tables.orders}} (account_id, item) VALUES (?, ?)", alan, "monitor");
                    users.execute("UPDATE {{tables.accounts}} SET order_count = order_count + 1 WHERE id = ?", alan);
                    throw new IllegalStateException("payment declined");
                });
            } catch (IllegalStateException e) {
                out.println("orders+users: rolled back order monitor for account " + alan
                        + " (" + e.getMessage() + ")");
            }
            long alanOrders = orders.fetchValue("SELECT count(*) FROM {{tables.orders}} WHERE account_id = ?",
                    Long.class, alan);
            int alanCounter = users.fetchValue("SELECT order_count FROM {{tables.accounts}} WHERE id = ?",
                    Integer.class, alan);
            out.println("orders+users: after the rollback account " + alan + " has " + alanOrders
                    + " order(s) in orders and order_count " + alanCounter + " in users");

            // A read across modules: {{tables.users.accounts}} follows the users module wherever its schema is.
            for (PlacedOrder order : orders.fetchAll("""
                    SELECT o.id, o.item, a.email
                    FROM {{tables.orders}} o JOIN {{tables.users.accounts}} a ON a.id = o.account_id
                    ORDER BY o.id""", PlacedOrder.class)) {
                out.println("orders: read " + order);
            }
        }
        out.println("postgres: pool closed, server stopped");
    }
}
