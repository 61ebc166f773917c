package io.pgdbm.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the quick start (a CDI container on its own embedded PostgreSQL), so the example in the README cannot rot. */
class QuickStartTest {

    @Test
    void migratesBothModulesAtStartAndCommitsOrRollsBackAcrossThem() throws IOException {
        // Like WildFly, this application has no metrics library at all: pgdbm must run the same, recording nothing.
        assertThat(List.of("org.eclipse.microprofile.metrics.MetricRegistry", "io.micrometer.core.instrument.MeterRegistry",
                "org.eclipse.microprofile.health.HealthCheck")).noneMatch(QuickStartTest::onClassPath);

        List<String> lines = runQuickStart();

        assertThat(lines).contains(
                "pgdbm: module users in schema users",
                "pgdbm: module orders in schema orders, after users",
                "users: created accounts 1 and 2",
                "orders+users: committed order 1 keyboard; account 1 now has 1 order(s)",
                "orders+users: rolled back order monitor for account 2 (payment declined): 0 order(s) in orders, "
                        + "order_count 0 in users",
                "pgdbm: container stopped, pool closed");
        assertThat(lines).filteredOn(line -> line.startsWith("pgdbm: migrated "))
                .satisfiesExactly(
                        users -> assertThat(users).matches("pgdbm: migrated users: 001_accounts\\.sql \\(\\d+ms\\)"),
                        orders -> assertThat(orders).matches("pgdbm: migrated orders: 001_orders\\.sql \\(\\d+ms\\), "
                                + "002_order_index\\.sql \\(\\d+ms\\)"));
        assertThat(lines).filteredOn(line -> line.startsWith("orders: read "))
                .singleElement().asString().matches("orders: read PlacedOrder\\[id=1, item=keyboard, "
                        + "email=ada-\\d+@example\\.com\\]");
        assertThat(lines).last().isEqualTo("postgres: server stopped");
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, QuickStartTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static List<String> runQuickStart() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            QuickStart.run(out);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
