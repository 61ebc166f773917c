package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class QueryErrorTest {

    private static final String SECRET_EMAIL = "ada.lovelace@example.com";

    private static Pgdbm pgdbm;
    private static Pgdbm verbose;
    private static Pgdbm borrowed;
    private static ModuleDatabase users;

    @BeforeAll
    static void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(3).poolMinIdle(0)
                .statementTimeout(Duration.ofMillis(300)).lockTimeout(Duration.ofMillis(200)).build());
        verbose = Pgdbm.create(database.configBuilder().name("verbose").poolMaxSize(1).poolMinIdle(0)
                .logValues(true).build());
        borrowed = Pgdbm.wrap(database.dataSource());
        users = pgdbm.module("users");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY, email text UNIQUE)");
        users.execute("INSERT INTO {{tables.accounts}} VALUES (1, ?)", SECRET_EMAIL);
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
        verbose.close();
    }

    private static String everything(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void failedStatementCarriesSqlStateModuleAndSql() {
        QueryException failure = catchQuery(() -> users.execute(
                "INSERT INTO {{tables.accounts}} VALUES (?, ?)", 2, SECRET_EMAIL));

        assertThat(failure.getSqlState()).isEqualTo("23505");
        assertThat(failure.isUniqueViolation()).isTrue();
        assertThat(failure.module()).isEqualTo("users");
        assertThat(failure.sql()).isEqualTo("INSERT INTO \"users\".\"accounts\" VALUES (?, ?)");
        assertThat(failure.constraint()).isEqualTo("accounts_email_key");
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("23505");
        assertThat(failure).hasMessageStartingWith("users - duplicate key value violates unique constraint "
                + "\"accounts_email_key\" [SQLState 23505]")
                .hasMessageContaining("SQL: INSERT INTO \"users\".\"accounts\" VALUES (?, ?)")
                .hasMessageContaining("Parameters: 2 values hidden (set pgdbm.log-values=true");
    }

    @Test
    void boundValuesAndServerDetailStayOutOfMessagesAndCauses() {
        QueryException duplicate = catchQuery(() -> users.execute(
                "INSERT INTO {{tables.accounts}} VALUES (?, ?)", 2, SECRET_EMAIL));
        QueryException badInput = catchQuery(() -> users.fetchAll(
                "SELECT * FROM {{tables.accounts}} WHERE id = ?::int", "not-a-number-secret"));

        assertThat(everything(duplicate)).doesNotContain(SECRET_EMAIL).doesNotContain("Key (email)");
        assertThat(everything(badInput)).doesNotContain("not-a-number-secret")
                .contains("invalid input syntax for type integer");
    }

    @Test
    void borrowedDataSourceErrorsAreMaskedToo() {
        QueryException failure = catchQuery(() -> borrowed.module("users").execute(
                "INSERT INTO {{tables.accounts}} VALUES (?, ?)", 3, SECRET_EMAIL));

        assertThat(failure.getSqlState()).isEqualTo("23505");
        assertThat(everything(failure)).doesNotContain(SECRET_EMAIL);
    }

    @Test
    void logValuesShowsValuesAndTheServersDetail() {
        QueryException failure = catchQuery(() -> verbose.module("users").execute(
                "INSERT INTO {{tables.accounts}} VALUES (?, ?)", 2, SECRET_EMAIL));

        assertThat(failure).hasMessageContaining("Detail: Key (email)=(" + SECRET_EMAIL + ") already exists.")
                .hasMessageContaining("Parameters: [2, '" + SECRET_EMAIL + "']");
    }

    @Test
    void batchFailureIsMaskedAndKeepsTheSqlState() {
        QueryException failure = catchQuery(() -> users.executeBatch("INSERT INTO {{tables.accounts}} VALUES (?, ?)",
                java.util.List.of(new Object[] {5, "fresh@example.com"}, new Object[] {6, SECRET_EMAIL})));

        assertThat(failure.getSqlState()).isEqualTo("23505");
        assertThat(everything(failure)).doesNotContain(SECRET_EMAIL);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(1L);
    }

    @Test
    void valuesEchoedByDataErrorsAreHiddenWhateverPathTheyCameBy() {
        QueryException batch = catchQuery(() -> users.executeBatch("INSERT INTO {{tables.accounts}} VALUES (?::int, ?)",
                java.util.List.<Object[]>of(new Object[] {"secret-batch-id", "x@example.com"})));
        QueryException copy = catchQuery(() -> users.copyIn("accounts", java.util.List.of("id", "email"),
                java.util.List.<Object[]>of(new Object[] {"secret-copy-id", "y@example.com"})));
        QueryException array = catchQuery(() -> users.execute("SELECT ?::int[]",
                (Object) new String[] {"secret-array-element"}));

        for (QueryException failure : java.util.List.of(batch, copy, array)) {
            assertThat(failure.getSqlState()).startsWith("22");
            assertThat(everything(failure)).contains("invalid input syntax for type integer: \"<hidden>\"")
                    .doesNotContain("secret-");
        }
    }

    @Test
    void statementTimeoutCancelsWithSqlState57014() {
        QueryException failure = catchQuery(() -> users.execute("SELECT pg_sleep(2)"));

        assertThat(failure.getSqlState()).isEqualTo("57014");
        assertThat(failure.isTimeout()).isTrue();
        assertThat(failure).hasMessageContaining("canceling statement due to statement timeout");
    }

    @Test
    void lockTimeoutGivesUpWaitingWithSqlState55P03() throws Exception {
        users.useTransaction(tx -> {
            tx.execute("SELECT * FROM {{tables.accounts}} WHERE id = 1 FOR UPDATE");
            Throwable failure = java.util.concurrent.CompletableFuture.runAsync(() -> users.execute(
                    "UPDATE {{tables.accounts}} SET email = email WHERE id = 1")).handle((ok, error) -> error).get();
            assertThat(failure.getCause()).isInstanceOf(QueryException.class);
            assertThat(((QueryException) failure.getCause()).isLockTimeout()).isTrue();
        });
    }

    @Test
    void syntaxErrorReportsThePosition() {
        QueryException failure = catchQuery(() -> users.execute("SELEC * FROM {{tables.accounts}}"));

        assertThat(failure.getSqlState()).isEqualTo("42601");
        assertThat(failure).hasMessageContaining("syntax error at or near \"SELEC\"")
                .hasMessageContaining("Position: 1");
    }

    @Test
    void namesInMessagesStayVisibleWhileValuesAreHidden() {
        QueryException encoding = catchQuery(() -> users.execute("INSERT INTO {{tables.accounts}} VALUES (?, ?)", 7,
                "secret\u0000value"));
        QueryException constraint = catchQuery(() -> users.execute("INSERT INTO {{tables.accounts}} VALUES (?, ?)", 1,
                "accounts"));
        QueryException type = catchQuery(() -> users.execute("SELECT ?::integer", "integer"));

        assertThat(encoding.getSqlState()).isEqualTo("22021");
        assertThat(encoding).hasMessageStartingWith("users - invalid byte sequence for encoding \"UTF8\": 0x00 "
                + "[SQLState 22021]");
        assertThat(everything(encoding)).doesNotContain("secret");
        assertThat(constraint).as("a bound value that is also a name does not hide the name")
                .hasMessageStartingWith("users - duplicate key value violates unique constraint \"accounts_pkey\"");
        assertThat(type).hasMessageStartingWith("users - invalid input syntax for type integer: \"<hidden>\"");
    }

    @Test
    void valuesTheDriverQuotesInItsOwnMessagesAreHidden() {
        QueryException failure = catchQuery(() -> users.withConnection(connection -> {
            try (java.sql.Statement statement = connection.createStatement();
                    java.sql.ResultSet result = statement.executeQuery("SELECT email FROM " + "users.accounts")) {
                result.next();
                return result.getInt(1);
            }
        }));

        assertThat(failure).hasMessageStartingWith("users - Bad value for type int : <hidden> [SQLState 22003]");
        assertThat(everything(failure)).doesNotContain(SECRET_EMAIL);
    }

    @Test
    void onlyALostConnectionCountsAsConnectionLost() {
        QueryException syntax = catchQuery(() -> users.execute("SELEC 1"));
        QueryException timeout = catchQuery(() -> users.execute("SELECT pg_sleep(2)"));

        assertThat(syntax.isConnectionLost()).isFalse();
        assertThat(timeout.isConnectionLost()).isFalse();
        assertThat(syntax).hasMessageNotContaining("Connection lost");
        for (String state : java.util.List.of("08006", "08003", "08000", "57P01", "57P02", "57P03")) {
            assertThat(new QueryException("", state, "users", null, null, null).isConnectionLost()).as(state)
                    .isTrue();
        }
        for (String state : java.util.List.of("57014", "57P04", "40001", "25P02")) {
            assertThat(new QueryException("", state, "users", null, null, null).isConnectionLost()).as(state)
                    .isFalse();
        }
    }

    @Test
    void controlCharactersInAMessageAreEscapedWhileItsLinesStay() {
        QueryException failure = catchQuery(() -> users.execute("SELEC\r\u2028 1"));

        assertThat(failure).hasMessageContaining("\n  SQL: SELEC\\u000d\\u2028 1")
                .hasMessageNotContaining("\r").hasMessageNotContaining("\u2028");
        assertThat(failure.sql()).isEqualTo("SELEC\r\u2028 1");
    }

    private static QueryException catchQuery(Runnable call) {
        try {
            call.run();
        } catch (QueryException e) {
            return e;
        }
        throw new AssertionError("expected a QueryException");
    }
}
