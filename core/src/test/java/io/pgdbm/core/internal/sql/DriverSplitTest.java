package io.pgdbm.core.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

class DriverSplitTest {

    /** Texts where pgjdbc's reading and the server's part, each with a second statement the first must not hide. */
    private static final List<String> TEXTS = List.of(
            "SELECT 1",
            "SELECT 1;",
            "SELECT 1; SELECT 2",
            "SELECT 1;;  ; SELECT 2;",
            "SELECT 1; -- trailing; comment",
            "SELECT 1; /* trailing; comment */",
            "-- leading\n; SELECT 1",
            "SELECT ';', \"a;b\", E'it\\'s;' ; SELECT 2",
            "SELECT $$;$$, $a$ ; $a$, $1; SELECT 2",
            "SELECT 1 -- note\r; SELECT 2",
            "SELECT 1 /*/ ; SELECT 2; -- */",
            "SELECT 1 /* /* ; */ ; */ ; SELECT 2",
            "SELECT 1) (; SELECT 2",
            "SELECT (1; 2); SELECT 3",
            "SELECT x{E'\\'; SELECT 2; --'",
            "E'\\'; SELECT 2; --'",
            "SELECT 'a\\' '; SELECT 2; --'",
            "SELECT 1 AS a\u2003$$; SELECT 2; --$$",
            "SELECT 1 AS a\u0001$$; SELECT 2; --$$",
            "SELECT a$$; SELECT 2; --$$",
            "SELECT €$b$; SELECT 2; --$b$",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2",
            "CREATE TABLE t AS SELECT begin /* c */ atomic FROM s; SELECT 2",
            "CREATE TABLE t AS SELECT begin, atomic FROM s; SELECT 2",
            "CREATE TABLE t AS SELECT begin 'x' atomic FROM s; SELECT 2",
            "SELECT begin atomic FROM t; SELECT 2",
            "SELECT 1; INSERT INTO t (create, begin, atomic) VALUES (1); SELECT 2",
            "INSERT INTO t VALUES (1); INSERT INTO t (create, begin, atomic) VALUES (1); SELECT 2",
            "WITH a AS (SELECT 1) SELECT * FROM a; CREATE TABLE t (begin int, atomic int); SELECT 2",
            "CREATE x begin; CREATE atomic; SELECT 2; SELECT 3",
            "CREATE TABLE t AS SELECT begin atomic",
            "UPDATE t SET a = ?; DELETE FROM t WHERE b = ?",
            "MOVE 1 IN c; ALTER TABLE t ADD c int; SELECT 2");

    @Test
    void splitsWherePgjdbcSplits() throws SQLException {
        for (boolean standardConformingStrings : List.of(true, false)) {
            for (String text : TEXTS) {
                assertThat(DriverSplit.count(text, standardConformingStrings))
                        .as("%s (standard_conforming_strings %s)", text, standardConformingStrings)
                        .isEqualTo(piecesWithCode(text, standardConformingStrings));
            }
        }
    }

    @Test
    void takesTheSplitsOfTheDriversOwnReading() {
        assertThat(DriverSplit.count("SELECT 1 /*/ ; SELECT 2; -- */", true)).isEqualTo(2);
        assertThat(DriverSplit.count("SELECT 1) (; SELECT 2", true)).isEqualTo(2);
        assertThat(DriverSplit.count("SELECT x{E'\\'; SELECT 2; --'", true)).isEqualTo(2);
        assertThat(DriverSplit.count("CREATE TABLE t AS SELECT begin 'x' atomic FROM s; SELECT 2", true)).isOne();
        assertThat(DriverSplit.count("SELECT 1; -- trailing; comment", true)).isOne();
    }

    /** What pgjdbc sends for {@code text}, leaving out pieces of only comments (which run nothing). */
    private static long piecesWithCode(String text, boolean standardConformingStrings) throws SQLException {
        List<NativeQuery> pieces = Parser.parseJdbcSql(text, standardConformingStrings, true, true, false, false);
        return pieces.stream().filter(piece -> SqlSplitter.hasStatement(piece.nativeSql)).count();
    }
}
