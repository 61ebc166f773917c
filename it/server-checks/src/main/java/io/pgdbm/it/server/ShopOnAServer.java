package io.pgdbm.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shop WAR (it/shop) on a real server, over the server's own JNDI DataSource, transaction manager, MicroProfile
 * Metrics and Health, against a database of the test PostgreSQL. A subclass starts its server; this class checks, over
 * HTTP and in the database, in order: the start-up migrations, injection, pgdbm's own transactions, the container's
 * ({@code @Transactional}), metrics and health; then a restart, then a deployment with a broken migration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ShopOnAServer {

    /** The readiness probe's path, and the first request the application gets. */
    private static final String REPORT = "shop/api/shop/report";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PgdbmTestServer.Database database;
    private DataSource dataSource;
    private ServerProcess server;
    private final List<String> answersBeforeReady = new ArrayList<>();

    /** What a run deploys. */
    protected enum Run {
        /** The WAR as built, on an empty database. */
        FIRST,
        /** The same WAR again, on the same database (a subclass may deploy it differently, e.g. expanded). */
        RESTART,
        /** The WAR with a broken migration added. */
        BROKEN
    }

    /**
     * Starts the server with {@code war} deployed at context root {@code /shop}, its DataSource {@code jdbc/pgdbm} on
     * {@code database}; returns once the server has finished starting, whether the application deployed or not.
     */
    protected abstract ServerProcess start(Run run, Path war, Database database) throws Exception;

    /** Whether the server's log says the application failed to start. */
    protected abstract boolean reportsDeploymentFailed(String log);

    /** The shop WAR, as the build made it. */
    protected static Path shopWar() {
        return Path.of(System.getProperty("shop.war"));
    }

    @BeforeAll
    void deploy() throws Exception {
        PgdbmTestServer postgres = PgdbmTestServer.shared();
        database = postgres.newDatabase();
        dataSource = postgres.dataSource(database.name());
        server = start(Run.FIRST, shopWar(), Database.of(database.jdbcUrl(), postgres.username(),
                postgres.password()));
        awaitApplication();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void migrationsRanOnceAtDeploymentInDependsOnOrderBeforeTheFirstRequest() throws Exception {
        // The first request the application answered read the users' table through the orders module: no earlier
        // answer was an error, so the tables were there before any request.
        assertThat(answersBeforeReady).allSatisfy(answer -> assertThat(answer).matches("(404|503|refused).*"));
        assertThat(history("users")).containsExactly("001_accounts.sql", "002_names.sql");
        assertThat(history("shop_orders")).containsExactly("001_orders.sql", "002_order_notes.sql");
        // orders dependsOn users (its first file references users.accounts): users' files were applied first.
        assertThat(query("SELECT (SELECT max(applied_at) FROM users.schema_migrations) "
                + "<= (SELECT min(applied_at) FROM shop_orders.schema_migrations)")).isEqualTo("t");
        // The orders module's migrations come from a jar in WEB-INF/lib, the users module's from WEB-INF/classes.
        String log = server.logText();
        assertThat(occurrences(log, "users: applied 001_accounts.sql")).isEqualTo(1);
        assertThat(occurrences(log, "orders: applied 001_orders.sql")).isEqualTo(1);
        assertThat(log.indexOf("users: applied 001_accounts.sql"))
                .isLessThan(log.indexOf("orders: applied 001_orders.sql"));
    }

    @Test
    @Order(2)
    void modulesAreInjectedInTheirBeansAndByNameElsewhere() throws Exception {
        Map<String, String> report = report();
        assertThat(report).containsEntry("users-module", "users/users")
                .containsEntry("orders-module", "orders/shop_orders")
                .containsEntry("qualified-orders", "orders/shop_orders")
                .containsEntry("rendered", "SELECT count(*) FROM \"users\".\"accounts\"");
    }

    @Test
    @Order(3)
    void aTransactionAcrossTwoModulesCommits() throws Exception {
        long account = Long.parseLong(post("accounts?email=buyer@example.com").body());

        HttpResponse<String> checkout = post("checkout?fail=no&account=" + account);

        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(200);
        assertThat(query("SELECT orders FROM users.accounts WHERE id = " + account)).isEqualTo("1");
        assertThat(get("shop/api/shop/owner?order=" + checkout.body()).body()).isEqualTo("buyer@example.com");
    }

    @Test
    @Order(4)
    void failingWorkAndAFailingStatementRollBackBothModules() throws Exception {
        long account = Long.parseLong(post("accounts?email=decliner@example.com").body());

        HttpResponse<String> work = post("checkout?fail=work&account=" + account);
        HttpResponse<String> statement = post("checkout?fail=statement&account=" + account);

        assertThat(work.statusCode()).isEqualTo(409);
        assertThat(work.body()).contains("payment declined");
        assertThat(statement.statusCode()).isEqualTo(409);
        assertThat(statement.body()).contains("orders_account_id_fkey").contains("23503");
        // Both times an order was inserted and the account counted first: neither remains.
        assertThat(query("SELECT orders FROM users.accounts WHERE id = " + account)).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM shop_orders.orders WHERE account_id = " + account)).isEqualTo("0");
    }

    @Test
    @Order(5)
    void aTransactionalMethodCommitsBothModulesAndOneThatThrowsLeavesNothing() throws Exception {
        HttpResponse<String> committed = post("open?fail=false&email=opened@example.com");
        HttpResponse<String> failed = post("open?fail=true&email=declined@example.com");

        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
        assertThat(query("SELECT count(*) FROM shop_orders.orders WHERE account_id = " + committed.body()))
                .isEqualTo("1");
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(failed.body()).contains("payment declined");
        assertThat(accounts("declined@example.com")).isZero();
        assertThat(query("SELECT count(*) FROM shop_orders.orders o LEFT JOIN users.accounts a "
                + "ON a.id = o.account_id WHERE a.id IS NULL")).isEqualTo("0");
    }

    @Test
    @Order(6)
    void inTransactionInsideATransactionalMethodJoinsTheContainersTransaction() throws Exception {
        HttpResponse<String> committed = post("open-in-transaction?fail=false&email=joined@example.com");
        HttpResponse<String> failed = post("open-in-transaction?fail=true&email=joined.declined@example.com");

        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
        assertThat(query("SELECT count(*) FROM shop_orders.orders WHERE account_id = " + committed.body()))
                .isEqualTo("1");
        // inTransaction returned normally, then the method threw: had pgdbm committed on its own, the rows would stay.
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(failed.body()).contains("payment declined after inTransaction returned");
        assertThat(accounts("joined.declined@example.com")).isZero();
    }

    @Test
    @Order(7)
    void aFailedNestedPartRollsBackToItsSavepointAndRequiresNewCommitsAlone() throws Exception {
        assertThat(post("nested?email=nested@example.com").statusCode()).isEqualTo(200);
        HttpResponse<String> independent = post("independent?fail=true&email=independent@example.com");

        assertThat(query("SELECT name FROM users.accounts WHERE email = 'nested@example.com'")).isEqualTo("kept");
        assertThat(accounts("nested@example.com.nested")).isZero();
        assertThat(independent.statusCode()).isEqualTo(409);
        assertThat(accounts("independent@example.com")).isZero();
        assertThat(accounts("independent@example.com.ledger")).isEqualTo(1);
    }

    @Test
    @Order(8)
    void theServersMetricsEndpointShowsQueryDurationsByModuleAndOperation() throws Exception {
        HttpResponse<String> metrics = get("metrics?scope=application");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(sample(metrics.body(), "pgdbm_query_duration_seconds_count", "users", "insert"))
                .isGreaterThanOrEqualTo(3);
        assertThat(sample(metrics.body(), "pgdbm_query_duration_seconds_count", "orders", "insert"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics.body(), "pgdbm_migrations_applied_total", "orders", null)).isEqualTo(2);
    }

    @Test
    @Order(9)
    void readinessShowsPgdbmsChecks() throws Exception {
        HttpResponse<String> health = get("health/ready");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body().replace(" ", ""))
                .contains("{\"name\":\"pgdbm-module-users\",\"status\":\"UP\"")
                .contains("{\"name\":\"pgdbm-module-orders\",\"status\":\"UP\"")
                .contains("{\"name\":\"pgdbm-datasource-default\",\"status\":\"UP\"");
    }

    @Test
    @Order(20)
    void aRestartAppliesNothingTwiceAndKeepsTheData() throws Exception {
        String historyBefore = query("SELECT string_agg(id || filename || applied_at, ',' ORDER BY id) "
                + "FROM shop_orders.schema_migrations") + query("SELECT string_agg(id || filename || applied_at, ',' "
                + "ORDER BY id) FROM users.schema_migrations");
        String accountsBefore = query("SELECT count(*) FROM users.accounts");
        server.close();

        server = start(Run.RESTART, shopWar(), currentDatabase());
        awaitApplication();

        assertThat(query("SELECT string_agg(id || filename || applied_at, ',' ORDER BY id) "
                + "FROM shop_orders.schema_migrations") + query("SELECT string_agg(id || filename || applied_at, ',' "
                + "ORDER BY id) FROM users.schema_migrations")).isEqualTo(historyBefore);
        assertThat(server.logText()).contains("users: up to date").contains("orders: up to date")
                .doesNotContain("applied 001_accounts.sql");
        assertThat(report()).containsEntry("accounts", accountsBefore);
    }

    @Test
    @Order(30)
    void aBrokenMigrationFailsTheDeploymentAndChangesNothing() throws Exception {
        String accountsBefore = query("SELECT count(*) FROM users.accounts");
        server.close();
        // The file's first statement is fine, its third is not: the whole file must roll back.
        Path broken = Wars.withEntries(shopWar(), Path.of("target", "broken", "shop.war"), Map.of(
                "WEB-INF/classes/db/users/003_broken.sql", "CREATE TABLE {{tables.half_done}} (id int);\n"
                        + "INSERT INTO {{tables.half_done}} VALUES (1);\n"
                        + "ALTER TABLE {{tables.accounts}} ADD COLUMN nickname txet;\n"));

        server = start(Run.BROKEN, broken, currentDatabase());

        String log = server.logText();
        assertThat(reportsDeploymentFailed(log)).as("the server reports the application as failed:\n%s", log)
                .isTrue();
        assertThat(log).contains("users").contains("003_broken.sql").contains("line 3")
                .contains("type \"txet\" does not exist");
        assertThat(get(REPORT).statusCode()).as("the application is not half-started").isNotEqualTo(200);
        assertThat(history("users")).containsExactly("001_accounts.sql", "002_names.sql");
        assertThat(query("SELECT to_regclass('users.half_done') IS NULL")).isEqualTo("t");
        assertThat(query("SELECT count(*) FROM users.accounts")).isEqualTo(accountsBefore);
    }

    private Database currentDatabase() {
        PgdbmTestServer postgres = PgdbmTestServer.shared();
        return Database.of(database.jdbcUrl(), postgres.username(), postgres.password());
    }

    /** Polls the report until the application answers 200, keeping what it answered before. */
    private void awaitApplication() throws Exception {
        answersBeforeReady.clear();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            String answer;
            try {
                HttpResponse<String> response = get(REPORT);
                if (response.statusCode() == 200) {
                    return;
                }
                answer = response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                answer = "refused";
            }
            answersBeforeReady.add(answer);
            if (answer.startsWith("409") || answer.startsWith("500") || reportsDeploymentFailed(server.logText())
                    || System.nanoTime() > deadline) {
                throw new AssertionError("the shop did not become ready on " + server + "; it answered " + answer
                        + "\nserver log:\n" + server.logText());
            }
            Thread.sleep(250);
        }
    }

    private Map<String, String> report() throws Exception {
        HttpResponse<String> response = get(REPORT);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> report = new java.util.LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            int equals = line.indexOf('=');
            report.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return report;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String operation) throws IOException, InterruptedException {
        URI uri = server.base().resolve("shop/api/shop/" + operation);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> history(String schema) throws SQLException {
        String files = query("SELECT string_agg(filename, ',' ORDER BY id) FROM " + schema + ".schema_migrations");
        return List.of(files.split(","));
    }

    private long accounts(String email) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM users.accounts WHERE email = '" + email + "'"));
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** A Prometheus sample's value: {@code name{...module="m"...operation="o"...} value}. */
    private static double sample(String text, String name, String module, String operation) {
        Pattern line = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$");
        Matcher matcher = line.matcher(text);
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("module=\"" + module + "\"")
                    && (operation == null || labels.contains("operation=\"" + operation + "\""))) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no " + name + " sample for module " + module + " and operation " + operation
                + " in:\n" + text);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
