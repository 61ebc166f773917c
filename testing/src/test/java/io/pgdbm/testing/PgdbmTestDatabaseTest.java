package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh, migrated database with fixtures for every test, injected in every supported way. */
class PgdbmTestDatabaseTest {

    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create()
            .withModule("users", "db/users")
            .withModule("orders", "shop_orders", "db/orders")
            .withSql("users", "fixtures/users.sql")
            .withCsv("orders", "orders", "fixtures/orders.csv");

    private static final Set<String> USED = ConcurrentHashMap.newKeySet();

    @Injected
    @Module("orders")
    ModuleDatabase orders;

    @Injected
    DataSource dataSource;

    @Injected
    String jdbcUrl;

    @RepeatedTest(3)
    void everyTestGetsItsOwnMigratedDatabaseWithTheFixtures(@Injected @Module("users") ModuleDatabase users) {
        assertThat(USED.add(db.databaseName())).as("a database no other test had").isTrue();
        assertThat(db.databaseName()).matches(TestDatabaseName.FORMAT);

        assertThat(users.fetchAll("SELECT email FROM {{tables.accounts}} ORDER BY id", String.class))
                .containsExactly("ada@example.com", "grace@example.com");
        assertThat(orders.fetchAll("SELECT item FROM {{tables.orders}} ORDER BY id", String.class))
                .containsExactly("keyboard", "mouse");
        assertThat(orders.schema()).isEqualTo("shop_orders");

        // Changes stay in this test's database: the next repetition starts from the fixtures again.
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES ('linus@example.com')");
        orders.execute("DELETE FROM {{tables.orders}}");
    }

    @Test
    void injectsThePgdbmItsDataSourceTheUrlAndTheSettingsACdiContainerReads(@Injected Pgdbm pgdbm,
            @Injected DataSource parameter, @Injected PgdbmTestDatabase self, @Injected String url) throws Exception {
        assertThat(self).isSameAs(db);
        assertThat(pgdbm.findModule("users")).isPresent();
        assertThat(parameter).isSameAs(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getCatalog()).isEqualTo(db.databaseName());
        }
        assertThat(url).isEqualTo(jdbcUrl).isEqualTo(db.jdbcUrl()).endsWith("/" + db.databaseName());
        assertThat(db.config()).containsEntry("pgdbm.datasource.url", db.jdbcUrl());
        assertThat(ConfigProvider.getConfig().getValue("pgdbm.datasource.url", String.class))
                .isEqualTo(db.jdbcUrl());
    }

    @AfterAll
    static void everyDatabaseIsDroppedAfterItsTest() {
        assertThat(USED).hasSize(3);
        PgdbmTestServer server = PgdbmTestServer.shared();
        server.background().awaitIdle();
        assertThat(server.databases()).doesNotContainAnyElementsOf(USED);
    }
}
