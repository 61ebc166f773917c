package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.Row;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A value read back that cannot become the Java type asked for: a typed {@link QueryException} naming module, column,
 * SQL type and Java type, with the value hidden unless {@code pgdbm.log-values=true}, on every read path.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class ValueReadBackTest {

    private static final String SECRET = "secret-ada-lovelace-1815";
    private static final String SELECT_TOKEN = "SELECT token FROM {{tables.sessions}}";

    enum Status { ACTIVE, SUSPENDED }

    record Session(UUID token) {
    }

    record Counted(int token) {
    }

    record WithStatus(Status token) {
    }

    record Tagged(UUID[] token) {
    }

    record Scored(int score) {
    }

    private static Pgdbm pgdbm;
    private static Pgdbm verbose;
    private static ModuleDatabase users;

    @BeforeAll
    static void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(3).poolMinIdle(0).build());
        verbose = Pgdbm.create(database.configBuilder().name("verbose").poolMaxSize(1).poolMinIdle(0)
                .logValues(true).build());
        users = pgdbm.module("users");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("CREATE TABLE {{tables.sessions}} (token text, tags text[], big bigint, score int)");
        users.execute("INSERT INTO {{tables.sessions}} VALUES (?, ?, 5000000000, NULL)", SECRET,
                new String[] {SECRET});
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
        verbose.close();
    }

    @Test
    void textThatIsNotAUuidFailsTypedAndMaskedOnEveryReadPath() {
        Map<String, Supplier<Object>> paths = new LinkedHashMap<>();
        paths.put("fetchValue", () -> users.fetchValue(SELECT_TOKEN, UUID.class));
        paths.put("fetchOne record", () -> users.fetchOne(SELECT_TOKEN, Session.class));
        paths.put("fetchAll record", () -> users.fetchAll(SELECT_TOKEN, Session.class));
        paths.put("fetchOne scalar", () -> users.fetchOne(SELECT_TOKEN, UUID.class));
        paths.put("fetchAll scalar", () -> users.fetchAll(SELECT_TOKEN, UUID.class));
        paths.put("stream record", () -> toList(users.stream(SELECT_TOKEN, Session.class)));
        paths.put("stream scalar", () -> toList(users.stream(SELECT_TOKEN, UUID.class)));
        paths.put("Row getter", () -> users.fetchOne(SELECT_TOKEN).orElseThrow().getUuid("token"));
        paths.put("Row.get", () -> users.fetchAll(SELECT_TOKEN).get(0).get("token", UUID.class));
        paths.put("streamed Row", () -> toList(users.stream(SELECT_TOKEN).map(row -> row.getUuid("token"))));
        paths.put("in a transaction", () -> users.inTransaction(tx -> tx.fetchValue(SELECT_TOKEN, UUID.class)));

        paths.forEach((path, read) -> {
            QueryException failure = catchQuery(path, read);
            assertThat(failure.getSqlState()).as(path).isEqualTo("22P02");
            assertThat(failure.module()).as(path).isEqualTo("users");
            assertThat(failure.sql()).as(path).isEqualTo("SELECT token FROM \"users\".\"sessions\"");
            assertThat(failure.getMessage()).as(path)
                    .startsWith("users - column 'token' (text) cannot be read as UUID")
                    .contains(": the text is not a UUID. Read it as String, or cast it to uuid in SQL [SQLState 22P02]")
                    .contains("\n  Value: hidden (set pgdbm.log-values=true to show it)");
            assertThat(everything(failure)).as(path).doesNotContain(SECRET);
        });
    }

    @Test
    void messageOfAFailedReadNamesColumnBothTypesAndTheFix() {
        QueryException failure = catchQuery("fetchValue", () -> users.fetchValue(SELECT_TOKEN, UUID.class));
        QueryException record = catchQuery("record", () -> users.fetchAll(SELECT_TOKEN, Session.class));

        assertThat(failure).hasMessage("users - column 'token' (text) cannot be read as UUID: the text is not a UUID. "
                + "Read it as String, or cast it to uuid in SQL [SQLState 22P02]\n"
                + "  SQL: SELECT token FROM \"users\".\"sessions\"\n"
                + "  Value: hidden (set pgdbm.log-values=true to show it)");
        assertThat(record).hasMessageStartingWith("users - column 'token' (text) cannot be read as UUID for "
                + "Session.token: the text is not a UUID.");
    }

    @Test
    void valuesTheDriverRefusesAreMaskedAndKeepTheDriversSqlState() {
        Map<String, Supplier<Object>> paths = new LinkedHashMap<>();
        paths.put("fetchValue", () -> users.fetchValue(SELECT_TOKEN, Integer.class));
        paths.put("record", () -> users.fetchOne(SELECT_TOKEN, Counted.class));
        paths.put("stream", () -> toList(users.stream(SELECT_TOKEN, Counted.class)));

        paths.forEach((path, read) -> {
            QueryException failure = catchQuery(path, read);
            assertThat(failure.getSqlState()).as(path).isEqualTo("22003");
            assertThat(failure.getMessage()).as(path).containsPattern("^users - column 'token' \\(text\\) "
                    + "cannot be read as (Integer|int for Counted.token): Bad value for type int : <hidden>. "
                    + "Read it as String, or cast it to int4 in SQL \\[SQLState 22003\\]");
            assertThat(failure.getCause()).as(path).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure.getCause()).getSQLState()).as(path).isEqualTo("22003");
            assertThat(everything(failure)).as(path).doesNotContain(SECRET);
        });
        QueryException big = catchQuery("bigint into int", () -> users.fetchAll(
                "SELECT big AS token FROM {{tables.sessions}}", Counted.class));
        assertThat(big).hasMessageStartingWith("users - column 'token' (int8) cannot be read as int for Counted.token: "
                + "Bad value for type int : <hidden>. Read it as a type that holds it (Long, BigDecimal or Double), "
                + "or cast it to int4 in SQL [SQLState 22003]");
        assertThat(everything(big)).doesNotContain("5000000000");
        QueryException bool = catchQuery("boolean", () -> users.fetchValue(SELECT_TOKEN, Boolean.class));
        assertThat(bool.getMessage()).startsWith("users - column 'token' (text) cannot be read as Boolean: "
                + "Cannot cast to boolean: \"<hidden>\". Read it as String, or cast it to bool in SQL");
        assertThat(everything(bool)).doesNotContain(SECRET);
    }

    @Test
    void numbersThatDoNotFitSayWhichTypesHoldThem() {
        Row row = users.fetchOne("SELECT big FROM {{tables.sessions}}").orElseThrow();

        QueryException failure = catchQuery("Row getter", () -> row.getInt("big"));

        assertThat(failure).hasMessageStartingWith("users - column 'big' (int8) cannot be read as Integer: the number "
                + "does not fit in an Integer. Read it as a type that holds it (Long, BigDecimal or Double), or cast "
                + "it to int4 in SQL [SQLState 22003]");
        assertThat(everything(failure)).doesNotContain("5000000000");
        assertThat(row.getLong("big")).isEqualTo(5_000_000_000L);
    }

    @Test
    void textThatIsNoConstantOfTheEnumNamesTheConstantsNotTheValue() {
        QueryException record = catchQuery("record", () -> users.fetchAll(SELECT_TOKEN, WithStatus.class));
        QueryException row = catchQuery("Row", () -> users.fetchOne(SELECT_TOKEN).orElseThrow()
                .get("token", Status.class));

        for (QueryException failure : List.of(record, row)) {
            assertThat(failure.getSqlState()).isEqualTo("22P02");
            assertThat(failure.getMessage()).contains("the text is not a constant of Status (its constants are "
                    + "[ACTIVE, SUSPENDED]). Read it as String, or add the constant to Status [SQLState 22P02]");
            assertThat(everything(failure)).doesNotContain(SECRET);
        }
    }

    @Test
    void arrayElementsThatCannotBeConvertedNameTheElement() {
        QueryException failure = catchQuery("array", () -> users.fetchAll(
                "SELECT tags AS token FROM {{tables.sessions}}", Tagged.class));

        assertThat(failure.getMessage()).startsWith("users - column 'token' (_text) cannot be read as UUID[] for "
                + "Tagged.token: element 1: the text is not a UUID. Read it as String, or cast it to uuid[] in SQL");
        assertThat(everything(failure)).doesNotContain(SECRET);
    }

    @Test
    void nullForAPrimitiveComponentIsATypedFailure() {
        QueryException failure = catchQuery("record", () -> users.fetchAll(
                "SELECT score FROM {{tables.sessions}}", Scored.class));

        assertThat(failure.getSqlState()).isEqualTo("22004");
        assertThat(failure).hasMessageStartingWith("users - column 'score' (int4) cannot be read as int for "
                + "Scored.score: it is NULL. Make it Integer, or coalesce the column in SQL [SQLState 22004]");
    }

    @Test
    void logValuesShowsTheValueReadBack() {
        ModuleDatabase loud = verbose.module("users");

        QueryException java = catchQuery("java", () -> loud.fetchValue(SELECT_TOKEN, UUID.class));
        QueryException driver = catchQuery("driver", () -> loud.fetchValue(SELECT_TOKEN, Integer.class));

        assertThat(java).hasMessageEndingWith("\n  Value: '" + SECRET + "'");
        assertThat(driver).hasMessageContaining("Bad value for type int : " + SECRET)
                .hasMessageEndingWith("\n  Value: '" + SECRET + "'");
    }

    private static List<?> toList(Stream<?> stream) {
        try (stream) {
            return stream.toList();
        }
    }

    private static String everything(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static QueryException catchQuery(String path, Supplier<?> read) {
        try {
            read.get();
        } catch (QueryException e) {
            return e;
        } catch (RuntimeException e) {
            throw new AssertionError(path + ": expected a QueryException, got " + e, e);
        }
        throw new AssertionError(path + ": expected a QueryException");
    }
}
