package io.pgdbm.core.internal.sql;

/**
 * How many statements one SQL text holds, for the rule that a call of {@code ModuleDatabase} runs one. Internal.
 *
 * <p>The text is read four ways, and the most statements any reading finds is the count: as the server splits it
 * ({@link SqlSplitter}) and as pgjdbc splits it before sending ({@link DriverSplit}), each with
 * {@code standard_conforming_strings} on and off, since pgdbm cannot know before sending which one the connection
 * has. A single statement is the same statement in every reading; only a text whose meaning depends on such corners
 * counts more than it seems to. Semicolons inside strings, quoted names, comments, dollar quotes and parentheses, a
 * function's {@code BEGIN ATOMIC} body, and one semicolon at the end do not make a second statement.
 *
 * @param statements the most statements a reading finds; 0 for a text of only comments
 * @param onlyWithBackslashEscapes whether more than one is found only when a backslash escapes the character after it
 *     in every string ({@code standard_conforming_strings} off), as in {@code '\'; ...'}
 */
public record StatementCount(int statements, boolean onlyWithBackslashEscapes) {

    private static final StatementCount ONE = new StatementCount(1, false);

    /** Counts {@code sql}. Linear in its length; callers keep the result, as it never changes for a text. */
    public static StatementCount of(String sql) {
        if (sql.indexOf(';') < 0) {
            return ONE;
        }
        int standard = Math.max(SqlSplitter.count(sql, true), DriverSplit.count(sql, true));
        if (standard > 1 || sql.indexOf('\\') < 0) {
            return new StatementCount(standard, false);
        }
        int escaped = Math.max(SqlSplitter.count(sql, false), DriverSplit.count(sql, false));
        return escaped > 1 ? new StatementCount(escaped, true) : new StatementCount(standard, false);
    }

    /** Whether the text is one statement (or none): what a call may run. */
    public boolean isOne() {
        return statements <= 1;
    }
}
