package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every statement path reports to listeners; slow statements are logged and kept in a bounded ring. */
@ExtendWith(PostgresDatabaseExtension.class)
class StatementListenerTest {

    private final List<StatementEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> migrations = new CopyOnWriteArrayList<>();
    private final StatementListener listener = new StatementListener() {
        @Override
        public void statementExecuted(StatementEvent event) {
            events.add(event);
        }

        @Override
        public void migrationApplied(String datasource, String module, String file, long millis) {
            migrations.add(datasource + "/" + module + "/" + file);
        }
    };
    private Pgdbm pgdbm;
    private ModuleDatabase shop;

    @TempDir
    Path dir;

    @BeforeEach
    void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().name("shopdb").poolMaxSize(2).poolMinIdle(0)
                .slowQueryThreshold(Duration.ofMillis(300)).build());
        shop = pgdbm.module("shop_" + System.nanoTime() % 100_000);
        shop.execute("CREATE SCHEMA {{schema}}");
        shop.execute("CREATE TABLE {{tables.items}} (id int PRIMARY KEY, name text)");
        pgdbm.addListener(listener);
    }

    @AfterEach
    void stop() {
        pgdbm.close();
    }

    @Test
    void everyStatementPathReportsOperationRowsAndModule() {
        shop.execute("INSERT INTO {{tables.items}} VALUES (?, ?), (?, ?)", 1, "a", 2, "b");
        shop.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class);
        shop.fetchOne("SELECT * FROM {{tables.items}} WHERE id = ?", 1);
        shop.fetchAll("SELECT * FROM {{tables.items}}");
        try (Stream<String> names = shop.stream("SELECT name FROM {{tables.items}}", String.class)) {
            assertThat(names).hasSize(2);
        }
        shop.executeBatch("UPDATE {{tables.items}} SET name = ? WHERE id = ?",
                List.of(new Object[] {"x", 1}, new Object[] {"y", 2}));
        shop.copyIn("items", List.of("id", "name"), List.<Object[]>of(new Object[] {3, "c"}));
        shop.copyIn("COPY {{tables.items}} (id, name) FROM STDIN", new StringReader("4\td\n"));
        shop.useTransaction(tx -> {
            tx.execute("DELETE FROM {{tables.items}} WHERE id = ?", 4);
            tx.fetchAll("WITH x AS (SELECT 1) SELECT * FROM x");
        });

        assertThat(events).extracting(StatementEvent::operation, StatementEvent::rows).containsExactly(
                tuple(Operation.INSERT, 2L), tuple(Operation.SELECT, 1L), tuple(Operation.SELECT, 1L),
                tuple(Operation.SELECT, 2L), tuple(Operation.SELECT, 2L), tuple(Operation.UPDATE, 2L),
                tuple(Operation.OTHER, 1L), tuple(Operation.OTHER, 1L), tuple(Operation.DELETE, 1L),
                tuple(Operation.SELECT, 1L));
        assertThat(events).allSatisfy(event -> {
            assertThat(event.datasource()).isEqualTo("shopdb");
            assertThat(event.module()).isEqualTo(shop.name());
            assertThat(event.nanos()).isPositive();
            assertThat(event.failed()).isFalse();
            assertThat(event.slow()).isFalse();
        });
        assertThat(events.get(0).sql()).isEqualTo(shop.render("INSERT INTO {{tables.items}} VALUES (?, ?), (?, ?)"));
    }

    @Test
    void failedStatementsCarryTheirSqlStateAndAThrowingListenerChangesNothing() {
        pgdbm.addListener(event -> {
            throw new IllegalStateException("broken listener");
        });
        shop.execute("INSERT INTO {{tables.items}} VALUES (1, 'a')");

        assertThatThrownBy(() -> shop.execute("INSERT INTO {{tables.items}} VALUES (1, 'again')"))
                .isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> shop.executeBatch("INSERT INTO {{tables.items}} VALUES (?, ?)",
                List.<Object[]>of(new Object[] {1, "x"}))).isInstanceOf(QueryException.class);

        assertThat(events).extracting(StatementEvent::sqlState).containsExactly(null, "23505", "23505");
        assertThat(shop.fetchValue("SELECT name FROM {{tables.items}}", String.class)).isEqualTo("a");
    }

    @Test
    void failuresAtCommitAndWhileStreamingAreReportedWithTheirSqlState() {
        shop.execute("CREATE TABLE {{tables.parents}} (id int PRIMARY KEY)");
        shop.execute("CREATE TABLE {{tables.children}} (parent int REFERENCES {{tables.parents}} DEFERRABLE "
                + "INITIALLY DEFERRED)");
        events.clear();

        assertThatThrownBy(() -> shop.useTransaction(tx -> tx.execute("INSERT INTO {{tables.children}} VALUES (7)")))
                .isInstanceOf(QueryException.class);
        // The error comes with row 701, in the second fetch, after the first fetch of 500 rows went through.
        try (Stream<Integer> rows = shop.stream("SELECT 1 / (g - 701) FROM generate_series(1, 1000) g",
                Integer.class)) {
            assertThatThrownBy(() -> rows.forEach(row -> { })).isInstanceOf(QueryException.class);
        }

        assertThat(events).extracting(StatementEvent::sql, StatementEvent::sqlState).containsExactly(
                tuple(shop.render("INSERT INTO {{tables.children}} VALUES (7)"), null),
                tuple("COMMIT", "23503"),
                tuple("SELECT 1 / (g - 701) FROM generate_series(1, 1000) g", "22012"));
        // The server fails the whole second fetch (rows 501 to 1000), so the caller got the first 500.
        assertThat(events.get(2).rows()).as("rows read before the failure").isEqualTo(500L);
    }

    @Test
    void waitingForAPoolConnectionIsNotPartOfAStatementsTime(TestDatabase database) throws Exception {
        try (Pgdbm onePool = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0)
                .slowQueryThreshold(Duration.ofMillis(300)).build())) {
            onePool.addListener(listener);
            ModuleDatabase db = onePool.module("waiting");
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            Thread holder = new Thread(() -> db.useTransaction(tx -> {
                tx.execute("SELECT 1");
                holding.countDown();
                Thread.sleep(600);
            }));
            holder.start();
            holding.await();
            events.clear();

            long started = System.nanoTime();
            db.fetchValue("SELECT 2", Integer.class);
            long waited = System.nanoTime() - started;
            holder.join();

            assertThat(waited).as("the call waited for the only connection").isGreaterThan(400_000_000L);
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.nanos()).as("the statement's own time").isLessThan(300_000_000L);
                assertThat(event.slow()).isFalse();
            });
            assertThat(onePool.slowQueries()).isEmpty();
        }
    }

    @Test
    void slowStatementIsLoggedAtWarnWithModuleDurationSqlAndHiddenValues() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            shop.fetchValue("SELECT ?::text FROM pg_sleep(0.35)", String.class, "secret-value");
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).containsPattern("\\[WARN\\] slow - " + shop.name() + " - slow statement: \\d{3,}ms "
                + "\\(pgdbm.slow-query-threshold is 300ms\\)")
                .contains("  SQL: SELECT ?::text FROM pg_sleep(0.35)")
                .contains("  Parameters: 1 value hidden (set pgdbm.log-values=true to show them)")
                .doesNotContain("secret-value");
    }

    @Test
    void migrationsReportTheirStatementsAndFiles() throws IOException {
        Files.writeString(dir.resolve("1_first.sql"), "CREATE TABLE {{tables.first}} (id int);\n"
                + "INSERT INTO {{tables.first}} VALUES (1), (2);");
        new Migrator(pgdbm, shop, MigrationFiles.fromDirectory(shop.name(), dir), MigrationOptions.defaults())
                .migrate();

        assertThat(migrations).containsExactly("shopdb/" + shop.name() + "/1_first.sql");
        assertThat(events).extracting(StatementEvent::operation, StatementEvent::rows)
                .contains(tuple(Operation.OTHER, 0L), tuple(Operation.INSERT, 2L));
    }

    @Test
    void slowStatementsAreKeptWithHiddenValues() {
        shop.fetchValue("SELECT ?::int FROM pg_sleep(0.35)", Integer.class, 7);
        shop.fetchValue("SELECT 1", Integer.class);

        assertThat(pgdbm.slowQueries()).singleElement().satisfies(slow -> {
            assertThat(slow.module()).isEqualTo(shop.name());
            assertThat(slow.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(slow.sql()).isEqualTo("SELECT ?::int FROM pg_sleep(0.35)");
            assertThat(slow.parameters()).isEqualTo("1 value hidden (set pgdbm.log-values=true to show them)");
            assertThat(slow.sqlState()).isNull();
        });
        assertThat(events).extracting(StatementEvent::slow).containsExactly(true, false);

        pgdbm.clearSlowQueries();
        assertThat(pgdbm.slowQueries()).isEmpty();
    }

    @Test
    void slowQueryRingKeepsTheNewestHundred(TestDatabase database) {
        try (Pgdbm everythingSlow = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0)
                .slowQueryThreshold(Duration.ofNanos(1)).logValues(true).build())) {
            ModuleDatabase db = everythingSlow.module("ring");
            for (int i = 0; i < 130; i++) {
                db.fetchValue("SELECT ?::int", Integer.class, i);
            }

            List<SlowQuery> kept = everythingSlow.slowQueries();
            assertThat(kept).hasSize(100);
            assertThat(kept.get(0).parameters()).isEqualTo("[30]");
            assertThat(kept.get(99).parameters()).isEqualTo("[129]");
        }
    }

    @Test
    void explainAnalyzeOfADeleteLeavesTheRowsInPlace() {
        shop.execute("INSERT INTO {{tables.items}} SELECT g, 'n' || g FROM generate_series(1, 50) g");

        String plan = shop.explainAnalyze("DELETE FROM {{tables.items}} WHERE id > ?", 10);
        String estimate = shop.explain("SELECT * FROM {{tables.items}} WHERE id = ?", 3);

        assertThat(plan).contains("\"Node Type\": \"ModifyTable\"").contains("\"Actual Rows\"");
        assertThat(estimate).contains("\"Plan\"").doesNotContain("\"Actual Rows\"");
        assertThat(shop.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(50L);

        shop.useTransaction(tx -> {
            tx.execute("DELETE FROM {{tables.items}} WHERE id = 1");
            tx.explainAnalyze("DELETE FROM {{tables.items}}");
            assertThat(tx.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(49L);
        });
        assertThat(shop.fetchValue("SELECT count(*) FROM {{tables.items}}", Long.class)).isEqualTo(49L);
    }

    @Test
    void operationIsTheFirstKeywordAfterComments() {
        assertThat(Operation.of("  -- note\n/* c */ ( select 1)")).isEqualTo(Operation.SELECT);
        assertThat(Operation.of("insert into t values (1)")).isEqualTo(Operation.INSERT);
        assertThat(Operation.of("UPDATE t SET a = 1")).isEqualTo(Operation.UPDATE);
        assertThat(Operation.of("DELETE FROM t")).isEqualTo(Operation.DELETE);
        assertThat(Operation.of("deleted_rows")).isEqualTo(Operation.OTHER);
        assertThat(Operation.of("CREATE TABLE t (id int)")).isEqualTo(Operation.OTHER);
        assertThat(Operation.of("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(Operation.SELECT);
        assertThat(Operation.of("WITH gone AS (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM gone"))
                .isEqualTo(Operation.INSERT);
        assertThat(Operation.of("with recursive \"select\"(n) as (select 1) delete from t where ')' = 'x'"))
                .isEqualTo(Operation.DELETE);
        assertThat(Operation.of("WITH a AS MATERIALIZED (SELECT 1), b AS (SELECT 2) UPDATE t SET x = 1"))
                .isEqualTo(Operation.UPDATE);
        assertThat(Operation.SELECT.tag()).isEqualTo("select");
    }
}
