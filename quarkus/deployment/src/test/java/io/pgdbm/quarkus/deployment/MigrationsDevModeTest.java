package io.pgdbm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quarkus dev mode with pgdbm-quarkus, as {@code mvn quarkus:dev} runs it (real Quarkus, HTTP and Agroal, on
 * pgdbm-testing's embedded PostgreSQL): a change in a module's migrations folder restarts the application on the next
 * request, and the restart applies the new migration, or stops with pgdbm's one-line summary as the headline of the
 * error page until the file is fixed.
 *
 * <p>Each test starts its own application on a new database.
 */
class MigrationsDevModeTest {

    /** pgdbm's one-line summary when the applied 001_accounts.sql of module users was edited. */
    static final Pattern CHANGED_AFTER_APPLIED = Pattern.compile(Pattern.quote("pgdbm: module users was not migrated, "
            + "and the application does not start: 001_accounts.sql was changed after it was applied (history checksum ")
            + "[0-9a-f]{64}, file now [0-9a-f]{64}" + Pattern.quote("); its statements changed, and changed "
            + "statements never run: revert the change and put it in a new migration (repair would record the file "
            + "without running it)"));

    @RegisterExtension
    @Order(1)
    static final DevModeEnvironment ENVIRONMENT = new DevModeEnvironment();

    @RegisterExtension
    @Order(2)
    static final QuarkusDevModeTest APP = new QuarkusDevModeTest()
            .withApplicationRoot(TestApplication::addTo)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());

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

    @Test
    void anAppliedMigrationEditedStopsTheRestartWithPgdbmsSummaryAsTheHeadlineUntilItIsReverted() {
        List<String> first = report();
        assertThat(first.get(1)).isEqualTo("users history=001_accounts.sql applied-at-start=001_accounts.sql");

        APP.clearLogRecords();
        APP.modifyResourceFile("db/users/001_accounts.sql", sql -> sql.replace("email text", "email varchar(200)"));
        Response failed = RestAssured.get("/migrations");
        assertThat(failed.statusCode()).isEqualTo(500);
        String page = failed.body().asString();
        assertThat(headline(page)).matches(CHANGED_AFTER_APPLIED);
        assertThat(page).contains("<title>Error restarting Quarkus - pgdbm: module users was not migrated")
                .contains("repair would record the file without running it");
        // The console: pgdbm's line is the first error of the failed restart, before Quarkus's stack traces.
        assertThat(APP.getLogRecords()).first().extracting(MigrationsDevModeTest::message).asString()
                .matches(CHANGED_AFTER_APPLIED);
        assertThat(ENVIRONMENT.query("SELECT filename FROM users.schema_migrations ORDER BY id"))
                .containsExactly("001_accounts.sql");

        APP.modifyResourceFile("db/users/001_accounts.sql", sql -> sql.replace("email varchar(200)", "email text"));
        List<String> fixed = report();
        assertThat(fixed.get(0)).as("a new start").isNotEqualTo(first.get(0));
        assertThat(fixed.subList(1, 3)).containsExactly(
                "users history=001_accounts.sql applied-at-start=",
                "orders history=001_orders.sql applied-at-start=");
    }

    @Test
    void aNewMigrationThatFailsStopsTheRestartWithPgdbmsSummaryUntilItIsFixedAndADeletedOneStopsItToo() {
        List<String> first = report();

        APP.addResourceFile("db/users/002_nicknames.sql", "ALTER TABLE {{tables.accounts}}\nADD COLUMN nickname txet;");
        Response failed = RestAssured.get("/migrations");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(headline(failed.body().asString())).startsWith("pgdbm: migrating module users failed at "
                + "002_nicknames.sql line 2; the application does not start. users - migration 002_nicknames.sql "
                + "failed at line 2: type \"txet\" does not exist [SQLState 42704]");
        assertThat(ENVIRONMENT.query("SELECT filename FROM users.schema_migrations ORDER BY id"))
                .containsExactly("001_accounts.sql");

        APP.modifyResourceFile("db/users/002_nicknames.sql", sql -> sql.replace("txet", "text"));
        List<String> fixed = report();
        assertThat(fixed.get(0)).as("a new start").isNotEqualTo(first.get(0));
        assertThat(fixed.get(1)).isEqualTo(
                "users history=001_accounts.sql,002_nicknames.sql applied-at-start=002_nicknames.sql");

        // Deleting a migration restarts too: pgdbm stops on the applied file that is gone.
        APP.deleteResourceFile("db/users/002_nicknames.sql");
        Response deleted = RestAssured.get("/migrations");
        assertThat(deleted.statusCode()).isEqualTo(500);
        assertThat(headline(deleted.body().asString())).isEqualTo("pgdbm: module users was not migrated, and the "
                + "application does not start: 002_nicknames.sql was applied but is missing from the migrations "
                + "folder: restore it, or set pgdbm.migrate.allow-missing=true");
    }

    /** {@code GET /migrations}, which must answer 200: its lines. */
    private static List<String> report() {
        Response response = RestAssured.get("/migrations");
        assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(200);
        return response.body().asString().lines().toList();
    }

    private static String message(LogRecord record) {
        return record instanceof ExtLogRecord formatted ? formatted.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
    }

    /** The headline of dev mode's error page: the exception message under the banner. */
    static String headline(String page) {
        Matcher headline = Pattern.compile("<div class=\"exception-message\">\\s*<h2 class=\"container\">(.*?)</h2>",
                Pattern.DOTALL).matcher(page);
        assertThat(headline.find()).as("the error page has a headline: %s", page).isTrue();
        return headline.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
