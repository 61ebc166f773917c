package io.pgdbm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusProdModeTest;
import io.restassured.RestAssured;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application with pgdbm-quarkus built as production builds it (the fast-jar) and run with {@code java -jar}: the
 * modules are migrated at start-up in {@code dependsOn} order, the {@code pgdbm} feature is installed, and the beans
 * are there once (an injection of a module's database would be ambiguous otherwise).
 */
class ProductionModeTest {

    static final PgdbmTestServer.Database DATABASE = PgdbmTestServer.shared().newDatabase();

    /** Drops the database once the application has stopped (after callbacks run in reverse order). */
    @RegisterExtension
    @Order(1)
    static final AfterAllCallback DROP_DATABASE = context -> DATABASE.close();

    @RegisterExtension
    @Order(2)
    static final QuarkusProdModeTest APP = new QuarkusProdModeTest()
            .withApplicationRoot(TestApplication::addTo)
            .setApplicationName("pgdbm-production")
            // The application's own extensions (the module's test scope is not on a production build's path).
            .setForcedDependencies(List.of(
                    Dependency.of("io.quarkus", "quarkus-agroal", Version.getVersion()),
                    Dependency.of("io.quarkus", "quarkus-jdbc-postgresql", Version.getVersion()),
                    Dependency.of("io.quarkus", "quarkus-vertx-http", Version.getVersion())))
            .setRun(true)
            .setRuntimeProperties(runtimeProperties());

    @Test
    void migratesEveryModuleAtStartUpInDependsOnOrder() throws SQLException {
        assertThat(query("SELECT module_name || ' ' || filename FROM users.schema_migrations"))
                .containsExactly("users 001_accounts.sql");
        assertThat(query("SELECT module_name || ' ' || filename FROM shop.schema_migrations"))
                .containsExactly("orders 001_orders.sql");
        assertThat(query("SELECT (SELECT max(applied_at) FROM users.schema_migrations)"
                + " <= (SELECT min(applied_at) FROM shop.schema_migrations)")).containsExactly("t");
        assertThat(APP.getStartupConsoleOutput())
                .contains("pgdbm - users: applied 001_accounts.sql")
                .contains("pgdbm - orders: applied 001_orders.sql")
                .containsPattern("Installed features: \\[.*pgdbm.*\\]");
    }

    @Test
    void servesEachModulesDatabaseFromOneBean() {
        String report = RestAssured.get("/migrations").then().statusCode(200).extract().asString();
        assertThat(report.lines().skip(1)).containsExactly(
                "users history=001_accounts.sql applied-at-start=001_accounts.sql",
                "orders history=001_orders.sql applied-at-start=001_orders.sql");
    }

    private static Map<String, String> runtimeProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.datasource.jdbc.url", DATABASE.jdbcUrl());
        properties.put("quarkus.datasource.username", DATABASE.server().username());
        if (DATABASE.server().password() != null) {
            properties.put("quarkus.datasource.password", DATABASE.server().password());
        }
        properties.put("quarkus.http.port", Integer.toString(DevModeEnvironment.freePort()));
        return properties;
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection connection = DATABASE.server().dataSource(DATABASE.name()).getConnection();
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
