package io.pgdbm.core;

/** What kind of statement ran, as metrics tag it ({@code operation}). */
public enum Operation {
    SELECT, INSERT, UPDATE, DELETE, OTHER;

    private final String tag = name().toLowerCase(java.util.Locale.ROOT);

    /** The tag value: {@code select}, {@code insert}, {@code update}, {@code delete} or {@code other}. */
    public String tag() {
        return tag;
    }

    /**
     * The operation of a SQL text, by its first keyword after comments and whitespace ({@code WITH} and
     * {@code VALUES}, {@code TABLE} count as {@code SELECT}). Allocates nothing.
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
        if (startsWith(sql, i, "SELECT") || startsWith(sql, i, "WITH") || startsWith(sql, i, "VALUES")
                || startsWith(sql, i, "TABLE")) {
            return SELECT;
        }
        if (startsWith(sql, i, "INSERT")) {
            return INSERT;
        }
        if (startsWith(sql, i, "UPDATE")) {
            return UPDATE;
        }
        if (startsWith(sql, i, "DELETE")) {
            return DELETE;
        }
        return OTHER;
    }

    private static boolean startsWith(String sql, int offset, String keyword) {
        int end = offset + keyword.length();
        return sql.regionMatches(true, offset, keyword, 0, keyword.length())
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }
}
