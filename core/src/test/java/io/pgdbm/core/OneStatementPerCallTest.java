package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.TemplateException;
import io.pgdbm.core.migration.MigrationFile;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table name spliced into a template must not run a statement of its own: pgjdbc splits a prepared statement's
 * text at semicolons and runs every piece, so pgdbm refuses SQL of more than one statement before sending anything.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class OneStatementPerCallTest {

    /** Each spliced name first inserts a sentinel row, then drops the victim; the template's rest is a comment. */
    private static final String INSERT_RETURNING = "sentinel}} VALUES (1) RETURNING id; DROP TABLE victim; --";
    private static final String INSERT = "sentinel}} VALUES (1); DROP TABLE victim; --";
    private static final String COPY = "sentinel}} (id) FROM STDIN; DROP TABLE victim; --";

    private static TemplateTest.CountingDataSource dataSource;
    private static ModuleDatabase users;

    @BeforeAll
    static void start(TestDatabase database) {
        dataSource = new TemplateTest.CountingDataSource(database.dataSource());
        users = Pgdbm.wrap(dataSource).module("users");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("CREATE TABLE {{tables.sentinel}} (id int)");
        users.execute("CREATE TABLE {{tables.accounts}} (id int)");
    }

    @BeforeEach
    void victimExistsAndSentinelIsEmpty() {
        users.execute("CREATE TABLE IF NOT EXISTS public.victim (id int)");
        users.execute("TRUNCATE {{tables.sentinel}}, {{tables.accounts}}");
    }

    static Stream<Arguments> calls() {
        return Stream.of(
                call("execute", (db, name) -> db.execute("INSERT INTO {{tables." + name + "}} VALUES (1)"),
                        INSERT),
                call("fetchValue", (db, name) -> db.fetchValue("INSERT INTO {{tables." + name + "}} VALUES (1)",
                        Integer.class), INSERT_RETURNING),
                call("fetchOne", (db, name) -> db.fetchOne("INSERT INTO {{tables." + name + "}} VALUES (1)"),
                        INSERT_RETURNING),
                call("fetchAll", (db, name) -> db.fetchAll("INSERT INTO {{tables." + name + "}} VALUES (1)",
                        Integer.class), INSERT_RETURNING),
                call("stream", (db, name) -> {
                    try (Stream<?> rows = db.stream("INSERT INTO {{tables." + name + "}} VALUES (1)")) {
                        rows.forEach(row -> { });
                    }
                }, INSERT_RETURNING),
                call("executeBatch", (db, name) -> db.executeBatch("INSERT INTO {{tables." + name + "}} VALUES (1)",
                        List.of(new Object[0], new Object[0])), INSERT),
                call("copyIn", (db, name) -> db.copyIn("COPY {{tables." + name + "}} (id) FROM STDIN",
                        new StringReader("1\n")), COPY),
                call("explain", (db, name) -> db.explain("INSERT INTO {{tables." + name + "}} VALUES (1)"),
                        INSERT_RETURNING),
                call("explainAnalyze", (db, name) -> db.explainAnalyze(
                        "INSERT INTO {{tables." + name + "}} VALUES (1)"), INSERT_RETURNING));
    }

    private static Arguments call(String method, BiConsumer<ModuleDatabase, String> call, String splicedName) {
        return Arguments.of(method, call, splicedName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void splicedSecondStatementIsRefusedBeforeAnythingIsSent(String method, BiConsumer<ModuleDatabase, String> call,
            String splicedName) {
        int connectionsBefore = dataSource.connections.get();

        assertThatThrownBy(() -> call.accept(users, splicedName))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - " + method + " refused SQL that holds 2 statements: a call runs one "
                        + "statement. Nothing was sent to the server.\n  SQL: ")
                .hasMessageContaining("DROP TABLE victim");
        assertThat(dataSource.connections.get()).as("no connection was even taken").isEqualTo(connectionsBefore);
        assertThat(victimExists()).isTrue();
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.sentinel}}", Long.class)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void splicedSecondStatementIsRefusedInsideATransactionWhichGoesOnAndCommits(String method,
            BiConsumer<ModuleDatabase, String> call, String splicedName) {
        users.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.accounts}} VALUES (7)");

            assertThatThrownBy(() -> call.accept(tx, splicedName))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("users - " + method + " refused SQL that holds 2 statements");
            // Nothing reached the server, so the transaction was not aborted: it carries on.
            assertThat(tx.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isOne();
        });

        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isOne();
        assertThat(victimExists()).isTrue();
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.sentinel}}", Long.class)).isZero();
    }

    /**
     * Second statements that a looser reading of the text would miss. The first two dropped the victim through
     * pgjdbc's default protocol before the splitter read text as the server does; the others with
     * {@code preferQueryMode=simple}, which runs every piece pgjdbc cuts even after one failed.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "accounts}} -- a carriage return ends this comment\r; DROP TABLE victim; --",
        "accounts}}, LATERAL (SELECT 1 AS begin) b, LATERAL (SELECT begin atomic) a; DROP TABLE victim; END; --",
        "accounts}} AS a\u2003$$; DROP TABLE victim; --$$",
        "accounts}} /*/ ; DROP TABLE victim; -- */",
        "accounts}}) (; DROP TABLE victim; --"
    })
    void secondStatementIsFoundWhereverTheServerOrTheDriverWouldRunIt(String splicedName) {
        int connectionsBefore = dataSource.connections.get();

        assertThatThrownBy(() -> users.fetchAll("SELECT * FROM {{tables." + splicedName + "}}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - fetchAll refused SQL that holds ");
        assertThat(dataSource.connections.get()).isEqualTo(connectionsBefore);
        assertThat(victimExists()).isTrue();
    }

    @Test
    void messageNamesModuleCallAndStatementsAndSaysWhatToDoInstead() throws IOException {
        String name = "x}}; DROP TABLE victim; --";

        TemplateException refused = catchThrowableOfType(TemplateException.class,
                () -> users.execute("DELETE FROM {{tables." + name + "}} WHERE id = ?", 1));

        assertThat(refused).hasMessage("users - execute refused SQL that holds 2 statements: a call runs one "
                + "statement. Nothing was sent to the server.\n"
                + "  SQL: DELETE FROM \"users\".\"x\"; DROP TABLE victim; --}} WHERE id = ?\n"
                + "  Hint: run multi-statement DDL as a migration, or make one call per statement. If a "
                + "{{tables...}} name was built from input, it carried SQL in: never build template names from input");
        assertThat(refused.placeholder()).isNull();
        assertThat(victimExists()).isTrue();
        assertThat(Files.readString(Path.of("../README.md"))).as("the README shows the message as it is")
                .contains("```\n" + refused.getMessage() + "\n```");
    }

    @Test
    void semicolonsInsideStringsNamesCommentsAndBodiesAreNotASecondStatement() {
        assertThat(users.fetchValue("SELECT ';' || $$;$$ || $b$;$b$ || E'\\';' || \"a;b\" /* ; */ -- ;\n"
                + "FROM (SELECT 'x' AS \"a;b\") s;  ", String.class)).isEqualTo(";;;';x");
        assertThat(users.execute("UPDATE {{tables.accounts}} SET id = 2; -- a comment after the last one is none"))
                .isZero();
        users.execute("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;");
        users.execute("CREATE FUNCTION {{schema}}.sign(n int) RETURNS text LANGUAGE sql BEGIN ATOMIC "
                + "SELECT CASE WHEN n < 0 THEN 'minus' ELSE 'plus' END; END");
        assertThat(users.fetchValue("SELECT {{schema}}.sign(-2)", String.class)).isEqualTo("minus");

        assertThatThrownBy(() -> users.fetchValue("SELECT 1; SELECT 2", Integer.class))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - fetchValue refused SQL that holds 2 statements");
    }

    @Test
    void textReadDifferentlyWithStandardConformingStringsOffIsRefusedWithAWayToWriteIt() {
        String sql = "SELECT count(*) FROM {{tables.accounts}} WHERE 'a' LIKE ? ESCAPE '\\' AND 'b' <> ';'";

        assertThatThrownBy(() -> users.fetchValue(sql, Long.class, "a"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - fetchValue refused SQL that holds 2 statements where a backslash "
                        + "escapes the quote after it (standard_conforming_strings off)")
                .hasMessageContaining("Hint: write a string with a backslash as E'...', doubling the backslash "
                        + "(E'\\\\' rather than '\\')");
        assertThat(users.fetchValue(sql.replace("'\\'", "E'\\\\'"), Long.class, "a")).isZero();
    }

    @Test
    void migrationRunsTheStatementsThatOneCallRefuses() {
        String text = "CREATE TABLE {{tables.ledger}} (id int);\nINSERT INTO {{tables.ledger}} VALUES (1);\n"
                + "INSERT INTO {{tables.ledger}} VALUES (2);\n";
        assertThatThrownBy(() -> users.execute(text)).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - execute refused SQL that holds 3 statements");

        try (Pgdbm pgdbm = Pgdbm.wrap(dataSource)) {
            ModuleDatabase ledger = pgdbm.module("ledger");
            ledger.execute("CREATE SCHEMA {{schema}}");
            new Migrator(pgdbm, ledger, List.of(new MigrationFile(1, "ledger", "001_ledger.sql", text,
                    MigrationFile.checksumOf(text), true)), MigrationOptions.defaults()).migrate();

            assertThat(ledger.fetchAll("SELECT id FROM {{tables.ledger}} ORDER BY id", Integer.class))
                    .containsExactly(1, 2);
        }
    }

    private static boolean victimExists() {
        return users.fetchValue("SELECT to_regclass('public.victim') IS NOT NULL", Boolean.class);
    }
}
