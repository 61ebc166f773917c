package io.pgdbm.core;

import java.util.Locale;

/** What kind of statement ran, as metrics tag it ({@code operation}). */
public enum Operation {
    SELECT, INSERT, UPDATE, DELETE, OTHER;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value: {@code select}, {@code insert}, {@code update}, {@code delete} or {@code other}. */
    public String tag() {
        return tag;
    }

    /**
     * The operation of a SQL text, by its first keyword after comments and whitespace ({@code VALUES} and
     * {@code TABLE} count as {@code SELECT}); after {@code WITH}, by the statement that follows the common table
     * expressions ({@code WITH gone AS (...) DELETE ...} is a {@code DELETE}). Allocates nothing.
     */
    public static Operation of(String sql) {
        if (sql == null) {
            return OTHER;
        }
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else {
                break;
            }
        }
        if (startsWith(sql, i, "WITH")) {
            return afterCommonTableExpressions(sql, i + 4);
        }
        Operation operation = keywordAt(sql, i);
        return operation != null ? operation : OTHER;
    }

    /** The operation whose keyword starts at {@code offset}, or {@code null}. */
    private static Operation keywordAt(String sql, int offset) {
        if (startsWith(sql, offset, "SELECT") || startsWith(sql, offset, "VALUES") || startsWith(sql, offset, "TABLE")) {
            return SELECT;
        }
        if (startsWith(sql, offset, "INSERT")) {
            return INSERT;
        }
        if (startsWith(sql, offset, "UPDATE")) {
            return UPDATE;
        }
        if (startsWith(sql, offset, "DELETE")) {
            return DELETE;
        }
        return null;
    }

    /**
     * The first of SELECT, INSERT, UPDATE, DELETE outside parentheses, strings, quoted names and comments: the main
     * statement of a {@code WITH} (the expressions' bodies are all in parentheses).
     */
    private static Operation afterCommonTableExpressions(String sql, int from) {
        int length = sql.length();
        int depth = 0;
        int i = from;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                // A doubled quote inside is two quoted runs back to back: skipping each run is the same.
                i = end < 0 ? length : end + 1;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                depth--;
                i++;
            } else if (depth == 0 && Character.isLetter(c) && !Character.isLetterOrDigit(sql.charAt(i - 1))
                    && sql.charAt(i - 1) != '_') {
                Operation operation = keywordAt(sql, i);
                if (operation != null) {
                    return operation;
                }
                i++;
            } else {
                i++;
            }
        }
        return SELECT;
    }

    private static boolean startsWith(String sql, int offset, String keyword) {
        int end = offset + keyword.length();
        return sql.regionMatches(true, offset, keyword, 0, keyword.length())
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }
}
