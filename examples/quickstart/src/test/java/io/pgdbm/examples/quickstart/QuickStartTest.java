package io.pgdbm.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the quick start on its own embedded PostgreSQL, so the example in the README cannot rot. */
class QuickStartTest {

    @Test
    void commitsTheCrossModuleTransactionAndLeavesNoTraceOfTheRolledBackOne() throws IOException {
        List<String> lines = runQuickStart();

        assertThat(lines).contains(
                "users: created table \"users\".\"accounts\"",
                "orders: created table \"orders\".\"orders\" referencing \"users\".\"accounts\"",
                "users: created account 1 ada@example.com",
                "users: created account 2 alan@example.com",
                "users: read Account[id=1, email=ada@example.com, orderCount=0]",
                "orders: savepoint rolled back alone: no account 999 (SQLState 23503, foreign key violation), "
                        + "the transaction goes on",
                "orders+users: committed order 1 keyboard; account 1 now has 1 order(s)",
                "orders+users: rolled back order monitor for account 2 (payment declined)",
                "orders+users: after the rollback account 2 has 0 order(s) in orders and order_count 0 in users");
        assertThat(lines).filteredOn(line -> line.startsWith("orders: read "))
                .containsExactly("orders: read PlacedOrder[id=1, item=keyboard, email=ada@example.com]");
        assertThat(lines).last().isEqualTo("postgres: pool closed, server stopped");
    }

    private static List<String> runQuickStart() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            QuickStart.run(out);
        }
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
