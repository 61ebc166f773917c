package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PoolTimeoutException;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.net.ServerSocket;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class OwnedPoolTest {

    @Test
    void serverTimeoutsAreSetOnEveryConnectionAndSurvivePoolResets(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().statementTimeout(Duration.ofSeconds(45))
                .lockTimeout(Duration.ofMillis(1500)).idleInTransactionTimeout(Duration.ofMinutes(2))
                .applicationName("orders-service").poolMaxSize(2).build())) {
            ModuleDatabase db = pgdbm.module("app");

            assertThat(db.fetchValue("SHOW statement_timeout", String.class)).isEqualTo("45s");
            assertThat(db.fetchValue("SHOW lock_timeout", String.class)).isEqualTo("1500ms");
            assertThat(db.fetchValue("SHOW idle_in_transaction_session_timeout", String.class)).isEqualTo("2min");
            assertThat(db.fetchValue("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
                    String.class)).isEqualTo("orders-service");

            String afterReset = db.withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET statement_timeout = 0");
                    statement.execute("RESET ALL");
                    statement.execute("SET lock_timeout = 0");
                    statement.execute("DISCARD ALL");
                }
                return null;
            });
            assertThat(afterReset).isNull();
            for (int i = 0; i < 4; i++) {
                assertThat(db.fetchValue("SHOW statement_timeout", String.class)).isEqualTo("45s");
                assertThat(db.fetchValue("SHOW lock_timeout", String.class)).isEqualTo("1500ms");
            }
        }
    }

    @Test
    void acquireTimeoutReportsThePoolState(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0)
                .acquireTimeout(Duration.ofMillis(300)).build())) {
            ModuleDatabase db = pgdbm.module("orders");

            db.useTransaction(tx -> {
                Throwable failure = CompletableFuture.runAsync(() -> db.fetchValue("SELECT 1", Integer.class))
                        .handle((ok, error) -> error).get();
                assertThat(failure.getCause()).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageContaining("orders - no connection available from pool pgdbm-default within 300ms "
                                + "(total=1, active=1, idle=0, waiting=")
                        .hasMessageContaining("raise pgdbm.pool.max-size (now 1) or pgdbm.pool.acquire-timeout "
                                + "(now 300ms)");
            });
        }
    }

    @Test
    void closedPortFailsAfterTheConfiguredAttemptsWithBackoff() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DatabaseConfig config = DatabaseConfig.builder().url("jdbc:postgresql://localhost:" + port + "/inventory")
                .username("app").connectAttempts(3).connectBackoff(Duration.ofMillis(100))
                .connectMaxBackoff(Duration.ofMillis(150)).build();
        long started = System.nanoTime();

        assertThatThrownBy(() -> Pgdbm.create(config))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("could not connect to localhost:" + port + "/inventory as app")
                .hasMessageContaining("(host localhost, port " + port + ", database inventory) after 3 attempts")
                .hasMessageContaining("raise pgdbm.connect.attempts (now 3)")
                .satisfies(e -> {
                    assertThat(((ConnectionException) e).attempts()).isEqualTo(3);
                    assertThat(e.getSuppressed()).hasSize(2);
                    assertThat(((ConnectionException) e).getSqlState()).isEqualTo("08001");
                });
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(elapsedMillis).as("waited 100ms, then 150ms (capped)").isGreaterThanOrEqualTo(250);
    }

    @Test
    void authenticationFailureIsNotRetried(TestDatabase database) {
        ModuleDatabase admin = Pgdbm.wrap(database.dataSource()).module("admin");
        admin.execute("DO $$ BEGIN CREATE ROLE pgdbm_cannot_login NOLOGIN; "
                + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        DatabaseConfig config = database.configBuilder().username("pgdbm_cannot_login").password(null)
                .connectAttempts(5).connectBackoff(Duration.ofSeconds(2)).connectMaxBackoff(Duration.ofSeconds(2))
                .build();
        long started = System.nanoTime();

        assertThatThrownBy(() -> Pgdbm.create(config))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("not permitted to log in")
                .hasMessageContaining("Not retried: authentication and authorisation failures do not heal by waiting")
                .satisfies(e -> assertThat(((ConnectionException) e).attempts()).isEqualTo(1))
                .satisfies(e -> assertThat(((ConnectionException) e).getSqlState()).startsWith("28"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2000);
    }

    @Test
    void missingDatabaseIsNotRetried(TestDatabase database) {
        DatabaseConfig config = database.configBuilder()
                .url(database.jdbcUrl().replace(database.name(), "pgdbm_no_such_database"))
                .connectAttempts(4).build();

        assertThatThrownBy(() -> Pgdbm.create(config))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("Not retried: the database does not exist")
                .satisfies(e -> assertThat(((ConnectionException) e).attempts()).isEqualTo(1))
                .satisfies(e -> assertThat(((ConnectionException) e).getSqlState()).isEqualTo("3D000"));
    }

    @Test
    void createWithoutUrlSaysWhatToSet() {
        assertThatThrownBy(() -> Pgdbm.create(DatabaseConfig.builder().build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgdbm.datasource.url is not set")
                .hasMessageContaining("Pgdbm.wrap(dataSource)");
    }

    @Test
    void closeClosesTheOwnedPoolButNeverABorrowedOne(TestDatabase database) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(database.jdbcUrl());
        hikari.setUsername(database.username());
        hikari.setMaximumPoolSize(1);
        try (HikariDataSource applicationPool = new HikariDataSource(hikari)) {
            Pgdbm borrowed = Pgdbm.wrap(applicationPool);
            assertThat(borrowed.module("a").fetchValue("SELECT 1", Integer.class)).isEqualTo(1);
            assertThat(borrowed.poolStats()).get().extracting(PoolStats::max).isEqualTo(1);
            borrowed.close();
            assertThat(applicationPool.isClosed()).isFalse();
            assertThat(borrowed.ownsPool()).isFalse();
        }

        Pgdbm owned = Pgdbm.create(database.configBuilder().build());
        assertThat(owned.ownsPool()).isTrue();
        owned.close();
        assertThat(((HikariDataSource) owned.dataSource()).isClosed()).isTrue();
    }

    @Test
    void ownedPoolRewritesBatchedInserts(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().build())) {
            ModuleDatabase db = pgdbm.module("batch");
            db.execute("CREATE SCHEMA IF NOT EXISTS {{schema}}");
            db.execute("CREATE TABLE IF NOT EXISTS {{tables.items}} (id int)");

            int[] counts = db.executeBatch("INSERT INTO {{tables.items}} VALUES (?)",
                    List.of(new Object[] {1}, new Object[] {2}, new Object[] {3}));

            // pgjdbc reports SUCCESS_NO_INFO for inserts it rewrote into multi-row INSERTs (in power-of-two
            // groups, so the third row here goes alone and reports 1).
            assertThat(counts).containsExactly(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO, 1);
            assertThat(db.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(3L);
        }
    }

    @Test
    void libpqStyleUrlConnects(TestDatabase database) {
        String url = "postgresql://" + database.username() + "@" + database.server().host() + ":"
                + database.server().port() + "/" + database.name() + "?connectTimeout=5";
        try (Pgdbm pgdbm = Pgdbm.create(DatabaseConfig.builder().url(url).password(database.password()).build())) {
            assertThat(pgdbm.module("a").fetchValue("SELECT current_database()", String.class))
                    .isEqualTo(database.name());
        }
    }
}
