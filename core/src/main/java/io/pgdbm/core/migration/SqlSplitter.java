package io.pgdbm.core.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements at the semicolons that end them, for migrations that run statement by statement
 * ({@code -- pgdbm:no-transaction}). A semicolon does not end a statement inside a string ({@code 'a;b'}, with
 * {@code ''} doubled quotes), an escape string ({@code E'it\'s;'}), a quoted identifier ({@code "a;b"}), a
 * dollar-quoted body ({@code $$ ... $$}, {@code $fn$ ... $fn$}), a line comment or a block comment (which nest in
 * PostgreSQL). Statements made only of comments and whitespace are dropped.
 */
public final class SqlSplitter {

    /**
     * One statement of a script.
     *
     * @param sql the statement, trimmed, without its final semicolon
     * @param line the line (1-based) it starts on, for error messages
     */
    public record Statement(String sql, int line) {
    }

    private SqlSplitter() {
    }

    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        int length = script.length();
        int start = 0;
        int line = 1;
        int startLine = -1;
        int i = 0;
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? length : end;
                continue;
            }
            if (c == '/' && next == '*') {
                int depth = 1;
                i += 2;
                while (i < length && depth > 0) {
                    char d = script.charAt(i);
                    char e = i + 1 < length ? script.charAt(i + 1) : '\0';
                    if (d == '/' && e == '*') {
                        depth++;
                        i += 2;
                    } else if (d == '*' && e == '/') {
                        depth--;
                        i += 2;
                    } else {
                        line += d == '\n' ? 1 : 0;
                        i++;
                    }
                }
                continue;
            }
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == ';') {
                if (startLine >= 0) {
                    addStatement(statements, script.substring(start, i), startLine);
                }
                start = i + 1;
                startLine = -1;
                i++;
                continue;
            }
            if (startLine < 0) {
                startLine = line;
            }
            int end;
            if (c == '\'') {
                boolean escapes = i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierPart(script.charAt(i - 2)));
                end = endOfQuoted(script, i, '\'', escapes);
            } else if (c == '"') {
                end = endOfQuoted(script, i, '"', false);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(script.charAt(i - 1)))) {
                end = endOfDollarQuoted(script, i);
            } else {
                end = i + 1;
            }
            for (int j = i; j < end && j < length; j++) {
                if (script.charAt(j) == '\n') {
                    line++;
                }
            }
            i = end;
        }
        if (startLine >= 0) {
            addStatement(statements, script.substring(start), startLine);
        }
        return statements;
    }

    private static void addStatement(List<Statement> statements, String text, int line) {
        String sql = text.strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(sql, line));
        }
    }

    /** The index after the closing quote; doubled quotes stay inside, and so do backslash escapes when allowed. */
    private static int endOfQuoted(String script, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return script.length();
    }

    /** The index after {@code $tag$ ... $tag$}, or just after the {@code $} when it opens no dollar quote ($1). */
    private static int endOfDollarQuoted(String script, int open) {
        int i = open + 1;
        while (i < script.length() && isIdentifierPart(script.charAt(i)) && script.charAt(i) != '$') {
            if (i == open + 1 && Character.isDigit(script.charAt(i))) {
                return open + 1;
            }
            i++;
        }
        if (i >= script.length() || script.charAt(i) != '$') {
            return open + 1;
        }
        String tag = script.substring(open, i + 1);
        int close = script.indexOf(tag, i + 1);
        return close < 0 ? script.length() : close + tag.length();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
