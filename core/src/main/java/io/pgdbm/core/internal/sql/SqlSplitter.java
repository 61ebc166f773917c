package io.pgdbm.core.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a script into statements at the semicolons that end them, so migrations run statement by statement and a
 * failure can name its line. Internal. A semicolon does not end a statement inside a string ({@code 'a;b'}, with
 * {@code ''} doubled quotes), an escape string ({@code E'it\'s;'}), a quoted identifier ({@code "a;b"}), a
 * dollar-quoted body ({@code $$ ... $$}, {@code $fn$ ... $fn$}), a line comment, a block comment (which nest in
 * PostgreSQL), or the SQL-standard body of a function or procedure ({@code CREATE FUNCTION ... BEGIN ATOMIC ... END},
 * PostgreSQL 14+), whose own statements end with semicolons, or parentheses (a rule's {@code DO (INSERT ...; UPDATE
 * ...)}, as psql counts them). Statements made only of comments and whitespace are dropped.
 *
 * <p>It reads text as the server's lexer does (where a comment ends, which characters belong to a name), because
 * {@link #count} decides whether a call's SQL is one statement: a reading that saw a comment or a string where the
 * server sees code would let a second statement through.
 */
public final class SqlSplitter {

    /**
     * One statement of a script.
     *
     * @param sql the statement, trimmed, without its final semicolon; comments before it are kept
     * @param line the line (1-based) its first token is on, for error messages
     * @param textLine the line (1-based) {@code sql} begins on, where character positions within it count from
     * @param codeOffset where its first token begins in {@code sql}, after the comments before it
     */
    public record Statement(String sql, int line, int textLine, int codeOffset) {

        /** The statement from its first token on, without the comments before it. */
        public String code() {
            return sql.substring(codeOffset);
        }

        /** Its first word in upper case ({@code CREATE}, {@code COMMIT}), or empty when it starts otherwise. */
        public String keyword() {
            int end = codeOffset;
            while (end < sql.length() && isIdentifierPart(sql.charAt(end))) {
                end++;
            }
            return end > codeOffset && isIdentifierStart(sql.charAt(codeOffset))
                    ? sql.substring(codeOffset, end).toUpperCase(Locale.ROOT) : "";
        }

        /** The line of a character of {@code sql}, given as PostgreSQL's 1-based error position. */
        public int lineOf(int position) {
            int result = textLine;
            for (int i = 0; i < Math.min(position - 1, sql.length()); i++) {
                if (sql.charAt(i) == '\n') {
                    result++;
                }
            }
            return result;
        }
    }

    /** A statement's first words: none yet, then on the way to {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. */
    private static final int HEADER_START = 0;
    private static final int HEADER_CREATE = 1;
    private static final int HEADER_CREATE_OR = 2;
    private static final int HEADER_CREATE_OR_REPLACE = 3;
    /** The statement creates a function or procedure: the only place PostgreSQL has a {@code BEGIN ATOMIC} body. */
    private static final int HEADER_ROUTINE = 4;
    private static final int HEADER_OTHER = 5;

    private SqlSplitter() {
    }

    public static List<Statement> split(String script) {
        return split(script, false);
    }

    /**
     * How many statements the server finds in {@code sql}, as {@link #split} counts them: empty ones and a last
     * semicolon do not count.
     *
     * @param standardConformingStrings false to read strings as the server does with {@code
     *     standard_conforming_strings} off: a backslash escapes the character after it in every string, not only in
     *     {@code E'...'}
     */
    public static int count(String sql, boolean standardConformingStrings) {
        return split(sql, !standardConformingStrings).size();
    }

    private static List<Statement> split(String script, boolean backslashEscapesEverywhere) {
        List<Statement> statements = new ArrayList<>();
        int length = script.length();
        int start = 0;
        int line = 1;
        int lineAtStart = 1;
        int startLine = -1;
        int codeStart = 0;
        String previousWord = null;
        boolean atomicBody = false;
        boolean atBodyStatementStart = false;
        int header = HEADER_START;
        int parentheses = 0;
        int i = 0;
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                i = endOfLineComment(script, i);
                continue;
            }
            if (c == '/' && next == '*') {
                int end = endOfBlockComment(script, i);
                for (int j = i; j < end; j++) {
                    line += script.charAt(j) == '\n' ? 1 : 0;
                }
                i = end;
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
            if (c == ';' && parentheses > 0) {
                i++;
                continue;
            }
            if (c == ';' && atomicBody) {
                atBodyStatementStart = true;
                previousWord = null;
                i++;
                continue;
            }
            if (c == ';') {
                if (startLine >= 0) {
                    addStatement(statements, script, start, lineAtStart, i, startLine, codeStart);
                }
                start = i + 1;
                lineAtStart = line;
                startLine = -1;
                previousWord = null;
                header = HEADER_START;
                i++;
                continue;
            }
            boolean firstToken = startLine < 0;
            if (firstToken) {
                startLine = line;
                codeStart = i;
            }
            int end;
            if (c == '\'') {
                boolean escapes = backslashEscapesEverywhere
                        || i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierPart(script.charAt(i - 2)));
                end = endOfQuoted(script, i, '\'', escapes);
                previousWord = null;
                atBodyStatementStart = false;
                header = afterOtherToken(header);
            } else if (c == '"') {
                end = endOfQuoted(script, i, '"', false);
                previousWord = null;
                atBodyStatementStart = false;
                header = afterOtherToken(header);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(script.charAt(i - 1)))) {
                end = endOfDollarQuoted(script, i);
                previousWord = null;
                atBodyStatementStart = false;
                header = afterOtherToken(header);
            } else if (isIdentifierStart(c) && (i == 0 || !isIdentifierPart(script.charAt(i - 1)))) {
                end = i + 1;
                while (end < length && isIdentifierPart(script.charAt(end))) {
                    end++;
                }
                String word = script.substring(i, end);
                if (atomicBody) {
                    // Every statement of the body ends with a semicolon, so the END that closes the body is the first
                    // word of a body statement; an END elsewhere closes a CASE.
                    if (atBodyStatementStart && word.equalsIgnoreCase("END")) {
                        atomicBody = false;
                    }
                    atBodyStatementStart = false;
                } else if (word.equalsIgnoreCase("ATOMIC") && "BEGIN".equalsIgnoreCase(previousWord)
                        && header == HEADER_ROUTINE && parentheses == 0) {
                    // Only where the grammar has such a body: elsewhere "begin atomic" can be a column and its alias
                    // (SELECT begin atomic FROM ...), and the semicolons after it end statements.
                    atomicBody = true;
                    atBodyStatementStart = true;
                } else {
                    header = afterWord(header, word);
                }
                previousWord = word;
            } else {
                if (c == '(') {
                    parentheses++;
                } else if (c == ')' && parentheses > 0) {
                    parentheses--;
                }
                end = i + 1;
                previousWord = null;
                atBodyStatementStart = false;
                header = afterOtherToken(header);
            }
            for (int j = i; j < end && j < length; j++) {
                if (script.charAt(j) == '\n') {
                    line++;
                }
            }
            i = end;
        }
        if (startLine >= 0) {
            addStatement(statements, script, start, lineAtStart, length, startLine, codeStart);
        }
        return statements;
    }

    private static int afterWord(int header, String word) {
        boolean routine = word.equalsIgnoreCase("FUNCTION") || word.equalsIgnoreCase("PROCEDURE");
        return switch (header) {
            case HEADER_START -> word.equalsIgnoreCase("CREATE") ? HEADER_CREATE : HEADER_OTHER;
            case HEADER_CREATE -> routine ? HEADER_ROUTINE : word.equalsIgnoreCase("OR") ? HEADER_CREATE_OR
                    : HEADER_OTHER;
            case HEADER_CREATE_OR -> word.equalsIgnoreCase("REPLACE") ? HEADER_CREATE_OR_REPLACE : HEADER_OTHER;
            case HEADER_CREATE_OR_REPLACE -> routine ? HEADER_ROUTINE : HEADER_OTHER;
            default -> header;
        };
    }

    /** A string, a quoted name or a sign before the header is complete: the statement creates no routine. */
    private static int afterOtherToken(int header) {
        return header == HEADER_ROUTINE ? HEADER_ROUTINE : HEADER_OTHER;
    }

    /**
     * Whether the script holds a statement at all, rather than only comments, whitespace and semicolons. Reads only as
     * far as the first token, so a real migration costs a few characters.
     */
    public static boolean hasStatement(String script) {
        int i = 0;
        int length = script.length();
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                i = endOfLineComment(script, i);
            } else if (c == '/' && next == '*') {
                i = endOfBlockComment(script, i);
            } else if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * The script's statements with what cannot change their meaning taken out: comments, empty statements, the
     * semicolon after the last one, and whitespace, which becomes one space between two tokens that need it and
     * nothing next to a parenthesis, bracket, comma or semicolon. Quoted strings, quoted identifiers and dollar-quoted
     * bodies stay exactly as written (a change in a function's body counts, comments in it too). Two scripts with the
     * same result differ only in comments and whitespace; the converse need not hold (a keyword's case, or a space
     * before {@code ::}, also makes a difference here), so a difference is a possible change of statements, never a
     * missed one.
     */
    public static String normalize(String script) {
        StringBuilder out = new StringBuilder(script.length());
        int length = script.length();
        boolean space = false;
        int i = 0;
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                i = endOfLineComment(script, i);
                space = true;
                continue;
            }
            if (c == '/' && next == '*') {
                i = endOfBlockComment(script, i);
                space = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            int end;
            if (c == '\'') {
                end = endOfQuoted(script, i, '\'', false);
            } else if (c == '"') {
                end = endOfQuoted(script, i, '"', false);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(script.charAt(i - 1)))) {
                end = endOfDollarQuoted(script, i);
            } else if (isIdentifierPart(c)) {
                end = i + 1;
                while (end < length && isIdentifierPart(script.charAt(end))) {
                    end++;
                }
                // E'...' is one token whose backslashes escape, so a quote after a backslash does not end it.
                if (end < length && script.charAt(end) == '\'' && end - i == 1 && (c == 'E' || c == 'e')) {
                    end = endOfQuoted(script, end, '\'', true);
                }
            } else {
                end = i + 1;
            }
            if (c == ';' && (out.length() == 0 || out.charAt(out.length() - 1) == ';')) {
                space = false;
                i = end;
                continue;
            }
            if (space && out.length() > 0 && !isTight(out.charAt(out.length() - 1)) && !isTight(c)) {
                out.append(' ');
            }
            space = false;
            out.append(script, i, end);
            i = end;
        }
        int last = out.length() - 1;
        if (last >= 0 && out.charAt(last) == ';') {
            out.setLength(last);
        }
        return out.toString();
    }

    /** Characters next to which whitespace never matters. */
    private static boolean isTight(char c) {
        return c == '(' || c == ')' || c == ',' || c == ';' || c == '[' || c == ']';
    }

    /**
     * The index of the line break that ends a line comment starting at {@code open}, or the script's end. A carriage
     * return ends it too, as it does for the server and pgjdbc: {@code -- x\r; DROP ...} holds two statements.
     */
    private static int endOfLineComment(String script, int open) {
        for (int i = open; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return script.length();
    }

    /** The index after a block comment that starts at {@code open}; block comments nest in PostgreSQL. */
    private static int endOfBlockComment(String script, int open) {
        int depth = 1;
        int i = open + 2;
        while (i < script.length() && depth > 0) {
            char d = script.charAt(i);
            char e = i + 1 < script.length() ? script.charAt(i + 1) : '\0';
            if (d == '/' && e == '*') {
                depth++;
                i += 2;
            } else if (d == '*' && e == '/') {
                depth--;
                i += 2;
            } else {
                i++;
            }
        }
        return i;
    }

    private static void addStatement(List<Statement> statements, String script, int start, int startLine, int end,
            int codeLine, int codeStart) {
        int from = start;
        int textLine = startLine;
        while (from < end && Character.isWhitespace(script.charAt(from))) {
            textLine += script.charAt(from) == '\n' ? 1 : 0;
            from++;
        }
        String sql = script.substring(from, end).strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(sql, codeLine, textLine, codeStart - from));
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

    /**
     * A character that starts a name, as the server's lexer reads them: ASCII letters, the underscore, and every
     * character beyond ASCII (the server reads bytes, and each byte of such a character in UTF-8 is above 0x7F).
     */
    private static boolean isIdentifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 0x7F;
    }

    /**
     * A character that continues a name for the server: also digits and {@code $}. So a {@code $} right after any
     * such character (a non-breaking space too) does not open a dollar quote, and {@code E} after one does not make
     * an escape string, however Java classifies the character.
     */
    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
    }
}
