package io.pgdbm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quarkus dev mode with pgdbm-quarkus, as {@code mvn quarkus:dev} runs it (real Quarkus, HTTP and Agroal, on
 * pgdbm-testing's embedded PostgreSQL): a change in a module's migrations folder restarts the application on the next
 * request, and the restart applies the new migration.
 *
 * <p>Each test starts its own application on a new database.
 */
class MigrationsDevModeTest {

    @RegisterExtension
    @Order(1)
    static final DevModeEnvironment ENVIRONMENT = new DevModeEnvironment();

    @RegisterExtension
    @Order(2)
    static final QuarkusDevModeTest APP = new QuarkusDevModeTest()
            .withApplicationRoot(TestApplication::addTo);

    @Test
    void aNewMigrationInAModulesFolderRestartsTheApplicationOnTheNextRequestAndIsApplied() {
        List<String> first = report();
        assertThat(first.subList(1, 3)).containsExactly(
                "users history=001_accounts.sql applied-at-start=001_accounts.sql",
                "orders history=001_orders.sql applied-at-start=001_orders.sql");

        // A file in a migrations folder that is not a migration changes nothing: no restart.
        APP.addResourceFile("db/users/README.txt", "Migrations of the users module.");
        assertThat(report()).isEqualTo(first);

        APP.addResourceFile("db/users/002_nicknames.sql", "ALTER TABLE {{tables.accounts}} ADD COLUMN nickname text;");
        List<String> second = report();
        assertThat(second.get(0)).as("a new start").isNotEqualTo(first.get(0));
        assertThat(second.subList(1, 3)).containsExactly(
                "users history=001_accounts.sql,002_nicknames.sql applied-at-start=002_nicknames.sql",
                "orders history=001_orders.sql applied-at-start=");
        assertThat(ENVIRONMENT.query("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'users' AND table_name = 'accounts' ORDER BY ordinal_position"))
                .containsExactly("id", "email", "nickname");

        // The other module's folder is watched too.
        APP.addResourceFile("sql/orders/002_totals.sql", "ALTER TABLE {{tables.orders}} ADD COLUMN total numeric;");
        List<String> third = report();
        assertThat(third.get(0)).as("a new start").isNotEqualTo(second.get(0));
        assertThat(third.subList(1, 3)).containsExactly(
                "users history=001_accounts.sql,002_nicknames.sql applied-at-start=",
                "orders history=001_orders.sql,002_totals.sql applied-at-start=002_totals.sql");
        assertThat(ENVIRONMENT.query("SELECT to_regclass('shop.orders')::text || ' ' || count(*)"
                + " FROM information_schema.columns WHERE table_schema = 'shop' AND column_name = 'total'"))
                .containsExactly("shop.orders 1");
    }

    /** {@code GET /migrations}, which must answer 200: its lines. */
    private static List<String> report() {
        Response response = RestAssured.get("/migrations");
        assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(200);
        return response.body().asString().lines().toList();
    }
}
