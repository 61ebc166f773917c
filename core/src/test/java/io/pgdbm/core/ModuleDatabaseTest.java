package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.Row;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class ModuleDatabaseTest {

    enum Status { ACTIVE, SUSPENDED }

    record Account(long id, String email, String displayName, OffsetDateTime createdAt, Status status) {
    }

    record Nullable(long id, Integer score) {
    }

    record Primitive(long id, int score) {
    }

    private static Pgdbm pgdbm;
    private static ModuleDatabase users;

    @BeforeAll
    static void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(4).poolMinIdle(0).build());
        users = pgdbm.module("users");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("""
                CREATE TABLE {{tables.accounts}} (
                    id bigserial PRIMARY KEY,
                    email text NOT NULL UNIQUE,
                    display_name text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    status text NOT NULL DEFAULT 'ACTIVE',
                    score integer)""");
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
    }

    @BeforeEach
    void empty() {
        users.execute("TRUNCATE {{tables.accounts}} RESTART IDENTITY");
    }

    private long insert(String email) {
        return users.fetchValue("INSERT INTO {{tables.accounts}} (email, display_name) VALUES (?, ?) RETURNING id",
                Long.class, email, email.substring(0, email.indexOf('@')));
    }

    @Test
    void executeReturnsTheUpdateCount() {
        insert("ada@example.com");
        insert("alan@example.com");

        assertThat(users.execute("UPDATE {{tables.accounts}} SET score = ?", 7)).isEqualTo(2);
        assertThat(users.execute("DELETE FROM {{tables.accounts}} WHERE email = ?", "nobody@example.com")).isZero();
    }

    @Test
    void fetchValueReturnsTheFirstColumnOfTheFirstRowOrNull() {
        long id = insert("ada@example.com");

        assertThat(id).isEqualTo(1L);
        assertThat(users.fetchValue("SELECT email FROM {{tables.accounts}} WHERE id = ?", String.class, id))
                .isEqualTo("ada@example.com");
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Integer.class)).isEqualTo(1);
        assertThat(users.fetchValue("SELECT email FROM {{tables.accounts}} WHERE id = ?", String.class, 999L))
                .isNull();
        assertThat(users.fetchValue("SELECT score FROM {{tables.accounts}} WHERE id = ?", Integer.class, id))
                .isNull();
    }

    @Test
    void fetchOneGivesTheRowOrEmpty() {
        long id = insert("ada@example.com");

        Optional<Row> row = users.fetchOne("SELECT id, email, score FROM {{tables.accounts}} WHERE id = ?", id);
        assertThat(row).isPresent();
        assertThat(row.get().getLong("id")).isEqualTo(id);
        assertThat(row.get().getString("email")).isEqualTo("ada@example.com");
        assertThat(row.get().getInt("score")).isNull();
        assertThat(row.get().asMap()).containsExactly(
                java.util.Map.entry("id", id), java.util.Map.entry("email", "ada@example.com"),
                new java.util.AbstractMap.SimpleEntry<>("score", null));
        assertThat(users.fetchOne("SELECT * FROM {{tables.accounts}} WHERE id = ?", 999L)).isEmpty();
    }

    @Test
    void rowLooksUpColumnsIgnoringCaseAndNamesTheColumnsItHas() {
        insert("ada@example.com");
        Row row = users.fetchOne("SELECT email AS \"Email\" FROM {{tables.accounts}}").orElseThrow();

        assertThat(row.getString("email")).isEqualTo("ada@example.com");
        assertThatThrownBy(() -> row.get("missing"))
                .isInstanceOf(PgdbmException.class)
                .hasMessage("users - no column 'missing' in this row; its columns are [Email] (names are matched "
                        + "exactly, then ignoring case)");
        assertThatThrownBy(() -> row.get("Email", LocalDate.class))
                .isInstanceOf(QueryException.class)
                .hasMessage("users - column 'Email' (text) cannot be read as LocalDate: it holds a String, which has "
                        + "no conversion to LocalDate. Read it as String, or cast it to date in SQL [SQLState 42846]\n"
                        + "  SQL: SELECT email AS \"Email\" FROM \"users\".\"accounts\"\n"
                        + "  Value: hidden (set pgdbm.log-values=true to show it)");
    }

    @Test
    void recordsMapFromSnakeCaseColumns() {
        insert("ada@example.com");
        insert("alan@example.com");
        users.execute("UPDATE {{tables.accounts}} SET status = 'SUSPENDED' WHERE email = ?", "alan@example.com");

        List<Account> accounts = users.fetchAll("SELECT * FROM {{tables.accounts}} ORDER BY id", Account.class);

        assertThat(accounts).extracting(Account::email).containsExactly("ada@example.com", "alan@example.com");
        assertThat(accounts).extracting(Account::displayName).containsExactly("ada", "alan");
        assertThat(accounts).extracting(Account::status).containsExactly(Status.ACTIVE, Status.SUSPENDED);
        assertThat(accounts.get(0).createdAt()).isBefore(OffsetDateTime.now().plusMinutes(1));
        assertThat(users.fetchOne("SELECT * FROM {{tables.accounts}} WHERE id = ?", Account.class, 2L))
                .get().extracting(Account::email).isEqualTo("alan@example.com");
    }

    @Test
    void oneColumnMapsToAListOfValues() {
        insert("ada@example.com");
        insert("alan@example.com");

        assertThat(users.fetchAll("SELECT email FROM {{tables.accounts}} ORDER BY id", String.class))
                .containsExactly("ada@example.com", "alan@example.com");
        assertThat(users.fetchAll("SELECT id FROM {{tables.accounts}} ORDER BY id", Long.class))
                .containsExactly(1L, 2L);
    }

    @Test
    void mappingErrorsSayWhatToChange() {
        insert("ada@example.com");

        assertThatThrownBy(() -> users.fetchAll("SELECT id, email FROM {{tables.accounts}}", Long.class))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("users - mapping to Long: mapping to Long needs a query that returns one column,"
                        + " but this one returns 2: [id, email]");
        assertThatThrownBy(() -> users.fetchAll("SELECT id, email FROM {{tables.accounts}}", Account.class))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("Account.displayName has no matching column; the query returns [id, email]; "
                        + "select or alias a column named display_name or displayName");
        assertThatThrownBy(() -> users.fetchAll("SELECT id, score FROM {{tables.accounts}}", Primitive.class))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("column 'score' (int4) cannot be read as int for Primitive.score: it is NULL. "
                        + "Make it Integer, or coalesce the column in SQL");
        assertThat(users.fetchAll("SELECT id, score FROM {{tables.accounts}}", Nullable.class))
                .containsExactly(new Nullable(1L, null));
    }

    @Test
    void boundValuesAreStoredVerbatimNeverSpliced() {
        String hostile = "x'); DROP TABLE users.accounts; --\"\\ ' ; DROP TABLE accounts";
        long id = users.fetchValue("INSERT INTO {{tables.accounts}} (email, display_name) VALUES (?, ?) RETURNING id",
                Long.class, "mallory@example.com", hostile);

        assertThat(users.fetchValue("SELECT display_name FROM {{tables.accounts}} WHERE id = ?", String.class, id))
                .isEqualTo(hostile);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(1L);
    }

    @Test
    void streamReadsThroughAServerSideCursorAndReturnsTheConnectionOnClose() {
        users.executeBatch("INSERT INTO {{tables.accounts}} (email) VALUES (?)",
                IntStream.range(0, 2000).mapToObj(i -> new Object[] {"user" + i + "@example.com"}).toList());

        users.useTransaction(tx -> {
            try (Stream<String> emails = tx.stream("SELECT email FROM {{tables.accounts}} ORDER BY id", String.class)) {
                var iterator = emails.iterator();
                assertThat(iterator.next()).isEqualTo("user0@example.com");
                // The result is held open on the server as a portal, fetched a batch at a time.
                assertThat(tx.fetchValue("SELECT count(*) FROM pg_cursors", Long.class)).isPositive();
            }
        });

        long activeBefore = pgdbm.poolStats().orElseThrow().active();
        try (Stream<Row> rows = users.stream("SELECT id, email FROM {{tables.accounts}} WHERE id > ?", 1000L)) {
            assertThat(pgdbm.poolStats().orElseThrow().active()).isEqualTo(activeBefore + 1);
            assertThat(rows.mapToLong(row -> row.getLong("id")).sum())
                    .isEqualTo(LongSum.between(1001, 2000));
        }
        assertThat(pgdbm.poolStats().orElseThrow().active()).isEqualTo(activeBefore);
    }

    @Test
    void streamReadToTheEndReturnsItsConnectionEvenWithoutClose() {
        insert("ada@example.com");
        long activeBefore = pgdbm.poolStats().orElseThrow().active();

        long count = users.stream("SELECT * FROM {{tables.accounts}}").count();

        assertThat(count).isEqualTo(1);
        assertThat(pgdbm.poolStats().orElseThrow().active()).isEqualTo(activeBefore);
    }

    @Test
    void rowsFollowColumnTypesThatChangeBetweenCallsOfOneStatement() {
        String sql = "SELECT ? AS v";

        assertThat(users.fetchOne(sql, 1).orElseThrow().get("v")).isEqualTo(1);
        assertThat(users.fetchOne(sql, 5_000_000_000L).orElseThrow().get("v")).isEqualTo(5_000_000_000L);
        assertThat(users.fetchOne(sql, "text").orElseThrow().get("v")).isEqualTo("text");
    }

    @Test
    void streamGivesItsConnectionBackWhenMappingFails() {
        insert("ada@example.com");
        long activeBefore = pgdbm.poolStats().orElseThrow().active();

        assertThatThrownBy(() -> users.stream("SELECT id, score FROM {{tables.accounts}}", Primitive.class)
                .forEach(row -> { }))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("cannot be read as int for Primitive.score: it is NULL");
        assertThat(pgdbm.poolStats().orElseThrow().active()).isEqualTo(activeBefore);
    }

    @Test
    void batchInsertsEveryRowAtomically() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            rows.add(new Object[] {"user" + i + "@example.com", i});
        }

        int[] counts = users.executeBatch("INSERT INTO {{tables.accounts}} (email, score) VALUES (?, ?)", rows);

        assertThat(counts).hasSize(2500);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(2500L);

        List<Object[]> withDuplicate = List.of(new Object[] {"new@example.com", 1},
                new Object[] {"user1@example.com", 2});
        assertThatThrownBy(() -> users.executeBatch("INSERT INTO {{tables.accounts}} (email, score) VALUES (?, ?)",
                withDuplicate))
                .isInstanceOf(io.pgdbm.QueryException.class)
                .satisfies(e -> assertThat(((io.pgdbm.QueryException) e).isUniqueViolation()).isTrue());
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}} WHERE email = 'new@example.com'",
                Long.class)).isZero();
    }

    @Test
    void copyInLoadsRowsWithAwkwardTextIntact() {
        List<Object[]> rows = List.of(
                new Object[] {"tab@example.com", "a\tb", 1},
                new Object[] {"newline@example.com", "line1\nline2\r\n", null},
                new Object[] {"backslash@example.com", "C:\\temp\\N \\N", 3},
                new Object[] {"null@example.com", null, 4},
                new Object[] {"unicode@example.com", "Zoë 🐘 \u00e9", 5});

        long copied = users.copyIn("accounts", List.of("email", "display_name", "score"), rows);

        assertThat(copied).isEqualTo(5);
        List<Row> stored = users.fetchAll("SELECT display_name, score FROM {{tables.accounts}} ORDER BY id");
        assertThat(stored).extracting(row -> row.getString("display_name"))
                .containsExactly("a\tb", "line1\nline2\r\n", "C:\\temp\\N \\N", null, "Zoë 🐘 \u00e9");
        assertThat(stored).extracting(row -> row.getInt("score")).containsExactly(1, null, 3, 4, 5);
    }

    @Test
    void copyInEncodesEveryBindableType() {
        users.execute("""
                CREATE TABLE IF NOT EXISTS {{tables.copied}} (
                    d date, ts timestamp, tstz timestamptz, at timestamptz, u uuid, n numeric, b bytea, tags text[],
                    flag boolean, big int8, small int2, status text)""");
        users.execute("TRUNCATE {{tables.copied}}");
        LocalDate date = LocalDate.of(2024, 2, 29);
        LocalDateTime timestamp = LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000);
        OffsetDateTime zoned = OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 0, ZoneOffset.ofHours(-5));
        Instant instant = Instant.parse("2024-03-01T00:00:00.000001Z");
        UUID uuid = UUID.randomUUID();
        Object[] values = {date, timestamp, zoned, instant, uuid, new BigDecimal("-1.50"),
            new byte[] {0, '\\', '\t', (byte) 0xff}, new String[] {"a\tb", "c\\d", null}, false, Long.MIN_VALUE,
            (short) -7, Status.SUSPENDED};

        users.copyIn("copied", List.of("d", "ts", "tstz", "at", "u", "n", "b", "tags", "flag", "big", "small",
                "status"), List.<Object[]>of(values));

        Row row = users.fetchOne("SELECT * FROM {{tables.copied}}").orElseThrow();
        assertThat(row.getLocalDate("d")).isEqualTo(date);
        assertThat(row.getLocalDateTime("ts")).isEqualTo(timestamp);
        assertThat(row.getInstant("tstz")).isEqualTo(zoned.toInstant());
        assertThat(row.getInstant("at")).isEqualTo(instant);
        assertThat(row.getUuid("u")).isEqualTo(uuid);
        assertThat(row.getBigDecimal("n")).isEqualTo(new BigDecimal("-1.50"));
        assertThat(row.getBytes("b")).containsExactly(0, '\\', '\t', (byte) 0xff);
        assertThat((Object[]) row.get("tags")).containsExactly("a\tb", "c\\d", null);
        assertThat(row.getBoolean("flag")).isFalse();
        assertThat(row.getLong("big")).isEqualTo(Long.MIN_VALUE);
        assertThat(row.getInt("small")).isEqualTo(-7);
        assertThat(row.get("status", Status.class)).isEqualTo(Status.SUSPENDED);
    }

    @Test
    void copyInWithAMalformedRowCopiesNothing() {
        List<Object[]> rows = List.of(new Object[] {"a@example.com", 1}, new Object[] {"b@example.com"});

        assertThatThrownBy(() -> users.copyIn("accounts", List.of("email", "score"), rows))
                .isInstanceOf(PgdbmException.class)
                .hasMessage("users - copyIn into accounts cancelled, nothing was copied: row 2 has 1 values but 2 "
                        + "columns were named");
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isZero();
    }

    @Test
    void copyInRejectsTableNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> users.copyIn("accounts; DROP TABLE x", List.of("email"), List.of()))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("table 'accounts; DROP TABLE x' is not a plain table name");
    }

    @Test
    void copyInStreamsCsvThroughATemplatedCopyStatement() {
        String csv = "email,score\nada@example.com,10\n\"comma,in@example.com\",20\n";

        long copied = users.copyIn("COPY {{tables.accounts}} (email, score) FROM STDIN (FORMAT csv, HEADER)",
                new StringReader(csv));

        assertThat(copied).isEqualTo(2);
        assertThat(users.fetchAll("SELECT email FROM {{tables.accounts}} ORDER BY id", String.class))
                .containsExactly("ada@example.com", "comma,in@example.com");
    }

    @Test
    void withConnectionLendsTheRawConnection() {
        String schema = users.withConnection(connection -> {
            try (var statement = connection.createStatement();
                    var result = statement.executeQuery("SELECT current_database()")) {
                result.next();
                return result.getString(1);
            }
        });

        assertThat(schema).startsWith("pgdbm_test_");
    }

    @Test
    void typesRoundTrip() {
        users.execute("""
                CREATE TABLE IF NOT EXISTS {{tables.types}} (
                    d date, ts timestamp, tstz timestamptz, u uuid, n numeric(20,6), b bytea, tags text[],
                    nums int8[], status text, doc jsonb, raw json, flag boolean, ratio float8)""");
        users.execute("TRUNCATE {{tables.types}}");
        LocalDate date = LocalDate.of(2024, 2, 29);
        LocalDateTime timestamp = LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000);
        OffsetDateTime zoned = OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 0, ZoneOffset.ofHours(2));
        Instant instant = Instant.parse("2024-03-01T00:00:00.000001Z");
        UUID uuid = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("12345678901234.123456");
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        String[] tags = {"a", "b c", "quote\"d", null};
        Long[] nums = {1L, 2L, 3L};
        String json = "{\"a\": [1, 2, {\"b\": null}]}";

        users.execute("INSERT INTO {{tables.types}} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::json, ?, ?)",
                date, timestamp, zoned, uuid, amount, bytes, tags, nums, Status.SUSPENDED, json, json, true, 0.25);
        users.execute("INSERT INTO {{tables.types}} (tstz) VALUES (?)", instant);
        users.execute("INSERT INTO {{tables.types}} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                null, null, null, null, null, null, null, null, null, null, null, null, null);

        Row row = users.fetchOne("SELECT * FROM {{tables.types}} WHERE d IS NOT NULL").orElseThrow();
        assertThat(row.getLocalDate("d")).isEqualTo(date);
        assertThat(row.getLocalDateTime("ts")).isEqualTo(timestamp);
        assertThat(row.getOffsetDateTime("tstz").toInstant()).isEqualTo(zoned.toInstant());
        assertThat(row.getInstant("tstz")).isEqualTo(zoned.toInstant());
        assertThat(row.getUuid("u")).isEqualTo(uuid);
        assertThat(row.getBigDecimal("n")).isEqualByComparingTo(amount);
        assertThat(row.getBytes("b")).containsExactly(bytes);
        assertThat((Object[]) row.get("tags")).containsExactly((Object[]) tags);
        assertThat(row.get("nums", Long[].class)).containsExactly(nums);
        assertThat(row.get("nums", long[].class)).containsExactly(1L, 2L, 3L);
        assertThat(row.get("status", Status.class)).isEqualTo(Status.SUSPENDED);
        assertThat(row.getString("doc")).isEqualTo(json);
        assertThat(row.getString("raw")).isEqualTo(json);
        assertThat(row.getBoolean("flag")).isTrue();
        assertThat(row.getDouble("ratio")).isEqualTo(0.25);

        assertThat(users.fetchValue("SELECT tstz FROM {{tables.types}} WHERE d IS NULL AND tstz IS NOT NULL",
                Instant.class)).isEqualTo(instant);
        assertThat(users.fetchValue("SELECT u FROM {{tables.types}} WHERE u = ?", UUID.class, uuid)).isEqualTo(uuid);
        assertThat(users.fetchValue("SELECT tags FROM {{tables.types}} WHERE d = ?", String[].class, date))
                .containsExactly(tags);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.types}} WHERE u = ANY(?)", Long.class,
                List.of(uuid, UUID.randomUUID()))).isEqualTo(1L);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.types}} WHERE u = ANY(?)", Long.class,
                List.of())).isZero();

        Row nulls = users.fetchOne("SELECT * FROM {{tables.types}} WHERE d IS NULL AND tstz IS NULL").orElseThrow();
        assertThat(nulls.asMap().values()).containsOnlyNulls().hasSize(13);

        record Typed(LocalDate d, LocalDateTime ts, Instant tstz, UUID u, BigDecimal n, byte[] b, List<?> ignored) {
        }
        assertThatThrownBy(() -> users.fetchAll("SELECT *, 1 AS ignored FROM {{tables.types}}", Typed.class))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("Typed.ignored has type java.util.List<?>, which pgdbm cannot read");
    }

    @Test
    void enumsBindAsTextIntoPostgresEnumColumnsToo() {
        users.execute("DO $$ BEGIN CREATE TYPE {{schema}}.mood AS ENUM ('ACTIVE', 'SUSPENDED'); "
                + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        users.execute("CREATE TABLE IF NOT EXISTS {{tables.moods}} (m {{schema}}.mood)");

        users.execute("INSERT INTO {{tables.moods}} VALUES (?)", Status.SUSPENDED);

        assertThat(users.fetchValue("SELECT m FROM {{tables.moods}}", Status.class)).isEqualTo(Status.SUSPENDED);
    }

    @Test
    void renderShowsTheSqlAsSent() {
        assertThat(users.render("SELECT * FROM {{tables.accounts}} WHERE id = ?"))
                .isEqualTo("SELECT * FROM \"users\".\"accounts\" WHERE id = ?");
    }

    private static final class LongSum {
        static long between(long from, long to) {
            return (from + to) * (to - from + 1) / 2;
        }
    }
}
