package io.pgdbm.core.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.core.internal.sql.SqlSplitter.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {

    private static List<String> sql(String script) {
        return SqlSplitter.split(script).stream().map(Statement::sql).toList();
    }

    @Test
    void splitsAtSemicolonsAndDropsEmptyStatements() {
        assertThat(sql("CREATE TABLE a (id int);\n\n;  ;CREATE INDEX CONCURRENTLY a_id ON a (id)"))
                .containsExactly("CREATE TABLE a (id int)", "CREATE INDEX CONCURRENTLY a_id ON a (id)");
    }

    @Test
    void keepsSemicolonsInsideStringsIdentifiersAndEscapeStrings() {
        assertThat(sql("INSERT INTO t VALUES ('a;b', 'it''s; fine');"
                + "CREATE TABLE \"odd;name\" (\"x;y\" int);"
                + "SELECT E'escaped \\' quote; still inside', e'\\\\';"
                + "SELECT 1"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s; fine')",
                        "CREATE TABLE \"odd;name\" (\"x;y\" int)",
                        "SELECT E'escaped \\' quote; still inside', e'\\\\'",
                        "SELECT 1");
    }

    @Test
    void keepsFunctionBodiesInDollarQuotesWhole() {
        String function = """
                CREATE FUNCTION bump() RETURNS trigger AS $$
                BEGIN
                    NEW.n := NEW.n + 1; -- a comment; with a semicolon
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql""";
        String tagged = "DO $body$ BEGIN PERFORM 1; PERFORM $$;$$; END $body$";

        assertThat(sql(function + ";\n" + tagged + ";\nSELECT $1::int"))
                .containsExactly(function, tagged, "SELECT $1::int");
    }

    @Test
    void ignoresSemicolonsInLineAndNestedBlockComments() {
        List<Statement> statements = SqlSplitter.split("""
                -- pgdbm:no-transaction
                -- first; comment
                CREATE INDEX CONCURRENTLY i1 ON t (a);
                /* outer; /* nested; */ still; comment */
                CREATE INDEX CONCURRENTLY i2 ON t (b);
                -- trailing comment;
                """);

        assertThat(statements).extracting(Statement::sql).containsExactly(
                "-- pgdbm:no-transaction\n-- first; comment\nCREATE INDEX CONCURRENTLY i1 ON t (a)",
                "/* outer; /* nested; */ still; comment */\nCREATE INDEX CONCURRENTLY i2 ON t (b)");
        assertThat(statements).extracting(Statement::line).containsExactly(3, 5);
    }

    @Test
    void keepsSqlStandardFunctionBodiesWholeUpToTheirEnd() {
        String atomic = """
                CREATE FUNCTION sign(n int) RETURNS text LANGUAGE sql
                BEGIN ATOMIC
                    SELECT CASE WHEN n < 0 THEN 'minus' ELSE 'plus' END;
                    SELECT 'second; statement';
                END""";
        String procedure = "CREATE PROCEDURE p() LANGUAGE sql begin /* c */ atomic; END";

        assertThat(sql(atomic + ";\nSELECT 1;\n" + procedure + ";\nBEGIN;\nEND;"))
                .containsExactly(atomic, "SELECT 1", procedure, "BEGIN", "END");
    }

    @Test
    void takesABeginAtomicBodyOnlyInAFunctionOrProcedure() {
        String replaced = "create or replace function f() returns int language sql begin atomic select 1; end";

        assertThat(sql(replaced + ";SELECT 2")).containsExactly(replaced, "SELECT 2");
        // Elsewhere "begin atomic" is a column and its alias, and the server runs what follows the semicolons.
        assertThat(sql("SELECT begin atomic FROM (SELECT 1 AS begin) s; DROP TABLE t; END"))
                .containsExactly("SELECT begin atomic FROM (SELECT 1 AS begin) s", "DROP TABLE t", "END");
        assertThat(sql("CREATE TABLE c AS SELECT begin atomic FROM s; DROP TABLE t; END")).hasSize(3);
        assertThat(sql("CREATE FUNCTION f(begin atomic) RETURNS int LANGUAGE sql RETURN 1; DROP TABLE t; END"))
                .hasSize(3);
    }

    @Test
    void endsLineCommentsAtACarriageReturnAsTheServerDoes() {
        assertThat(sql("SELECT 1 -- note\r; DROP TABLE t; --")).containsExactly("SELECT 1 -- note", "DROP TABLE t");
        assertThat(sql("-- a\r\nSELECT 1;\r\nSELECT 2")).containsExactly("-- a\r\nSELECT 1", "SELECT 2");
        assertThat(SqlSplitter.hasStatement("-- a\rSELECT 1")).isTrue();
    }

    @Test
    void readsEveryCharacterBeyondAsciiAsPartOfANameAsTheServerDoes() {
        // The server reads a\u2003$$ as one name, so no dollar quote hides the semicolons; nor is N\u00a0E'...' an
        // escape string.
        assertThat(sql("SELECT 1 AS a\u2003$$; DROP TABLE t; --$$")).containsExactly("SELECT 1 AS a\u2003$$",
                "DROP TABLE t");
        assertThat(sql("SELECT 1 AS x\u00a0E'\\'; DROP TABLE t; --'")).hasSize(2);
        assertThat(sql("SELECT 'ä;ö' AS \"ü;\", $é$;$é$")).hasSize(1);
    }

    @Test
    void countsStatementsWithBackslashesEscapingInEveryStringWhenAsked() {
        String sql = "SELECT 'a\\' '; DROP TABLE t; --'";

        assertThat(SqlSplitter.count(sql, true)).isEqualTo(1);
        assertThat(SqlSplitter.count(sql, false)).isEqualTo(2);
        assertThat(SqlSplitter.count("SELECT 1;", true)).isEqualTo(1);
        assertThat(SqlSplitter.count("-- nothing;", true)).isZero();
    }

    @Test
    void keepsSemicolonsInsideParenthesesAsPsqlDoes() {
        String rule = "CREATE RULE log_insert AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); "
                + "UPDATE counts SET n = n + 1)";

        assertThat(sql(rule + ";\nSELECT (1);\nSELECT ')';\nSELECT 2"))
                .containsExactly(rule, "SELECT (1)", "SELECT ')'", "SELECT 2");
    }

    @Test
    void knowsEachStatementsLinesAndFirstKeyword() {
        List<Statement> statements = SqlSplitter.split("""
                CREATE TABLE a (id int);

                -- about b
                /* still
                   about b */ insert INTO b
                VALUES (1,
                        'x');
                ('not a keyword');""");

        Statement insert = statements.get(1);
        assertThat(insert.line()).isEqualTo(5);
        assertThat(insert.textLine()).isEqualTo(3);
        assertThat(insert.keyword()).isEqualTo("INSERT");
        assertThat(insert.code()).startsWith("insert INTO b");
        assertThat(insert.lineOf(insert.sql().indexOf("'x'") + 1)).isEqualTo(7);
        assertThat(statements.get(0).keyword()).isEqualTo("CREATE");
        assertThat(statements.get(2).keyword()).isEmpty();
        assertThat(statements.get(2).line()).isEqualTo(8);
    }

    @Test
    void normalFormDropsCommentsEmptyStatementsAndWhitespaceThatCannotMatter() {
        assertThat(SqlSplitter.normalize("-- accounts\nCREATE TABLE a (\n    id   int, /* key */\n    b text\n) ;\n;\n"
                + "INSERT INTO a VALUES (1, 'x');  -- seed\n"))
                .isEqualTo("CREATE TABLE a(id int,b text);INSERT INTO a VALUES(1,'x')");
        assertThat(SqlSplitter.normalize("CREATE TABLE a(id int,b text);INSERT INTO a VALUES(1,'x');"))
                .isEqualTo(SqlSplitter.normalize("CREATE TABLE a ( id int , b text ) ; INSERT INTO a VALUES ( 1 , 'x' )"));
    }

    @Test
    void normalFormKeepsStringsIdentifiersAndBodiesExactly() {
        assertThat(SqlSplitter.normalize("SELECT 'a  -- b',  \"x  y\", E'it\\'s  ;', $fn$ body  -- kept\n$fn$"))
                .isEqualTo("SELECT 'a  -- b',\"x  y\",E'it\\'s  ;',$fn$ body  -- kept\n$fn$");
        assertThat(SqlSplitter.normalize("SELECT 'a b'")).isNotEqualTo(SqlSplitter.normalize("SELECT 'a  b'"));
        assertThat(SqlSplitter.normalize("SELECT $$a b$$")).isNotEqualTo(SqlSplitter.normalize("SELECT $$a  b$$"));
    }

    @Test
    void normalFormTellsAnyChangeOfTokensApart() {
        assertThat(SqlSplitter.normalize("CREATE TABLE a (id int)"))
                .isNotEqualTo(SqlSplitter.normalize("CREATE TABLE a (id bigint)"))
                .isNotEqualTo(SqlSplitter.normalize("CREATE TABLE ab (id int)"))
                .isNotEqualTo(SqlSplitter.normalize("CREATE TABLE a (idint)"));
        assertThat(SqlSplitter.normalize("SELECT a - -b")).isNotEqualTo(SqlSplitter.normalize("SELECT a --b"));
        assertThat(SqlSplitter.normalize("SELECT a + +b")).isNotEqualTo(SqlSplitter.normalize("SELECT a ++b"));
    }

    @Test
    void knowsAScriptOfOnlyCommentsHasNoStatement() {
        assertThat(SqlSplitter.hasStatement("-- a\n/* b /* nested */ */\n ;; \n")).isFalse();
        assertThat(SqlSplitter.hasStatement("")).isFalse();
        assertThat(SqlSplitter.hasStatement("-- pgdbm:no-transaction\n")).isFalse();
        assertThat(SqlSplitter.hasStatement("-- a\nSELECT 1")).isTrue();
        assertThat(SqlSplitter.hasStatement("/* a */ VACUUM")).isTrue();
    }
}
