package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.core.migration.SqlSplitter.Statement;
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
}
