package io.pgdbm.core.internal.sql;

/**
 * Where pgjdbc splits one SQL text into the statements it sends. Internal.
 *
 * <p>A prepared statement's text never reaches the server whole: pgjdbc cuts it at semicolons and sends the pieces
 * one after another, so PostgreSQL's rule that a prepared statement holds one command never applies. pgjdbc finds
 * the semicolons with a reading of its own, which differs from the server's in corners: it takes slash, star, slash
 * for a whole block comment, lets a {@code )} too many take the depth below zero, tells names from signs by Java's
 * rules, and, once a {@code CREATE} statement has said {@code BEGIN ATOMIC}, splits nothing after it. With
 * {@code preferQueryMode=simple} every piece runs even when one before it failed, so each piece counts, whatever the
 * server would make of it. This class follows {@code org.postgresql.core.Parser.parseJdbcSql} of pgjdbc 42.7 (a test
 * holds it to the driver of the build); {@link SqlSplitter} reads as the server does, and the one-statement rule
 * needs both.
 */
final class DriverSplit {

    private static final int BLANK = 0;
    private static final int CREATE = 1;
    private static final int OTHER = 2;

    private DriverSplit() {
    }

    /**
     * How many of the pieces pgjdbc sends for {@code sql} hold code, not only comments and whitespace.
     *
     * @param standardConformingStrings the server's {@code standard_conforming_strings}, which pgjdbc follows: when
     *     off, a backslash escapes the character after it in every string
     */
    static int count(String sql, boolean standardConformingStrings) {
        char[] text = sql.toCharArray();
        int length = text.length;
        int counted = 0;
        boolean code = false;
        // pgjdbc's own notion of a piece (anything but whitespace, comments included) decides one thing below.
        int sent = 0;
        boolean whitespaceOnly = true;
        int parentheses = 0;
        int command = BLANK;
        boolean insertSeen = false;
        boolean beginSeen = false;
        boolean atomic = false;
        int wordStart = -1;
        for (int i = 0; i < length; i++) {
            char c = text[i];
            char next = i + 1 < length ? text[i + 1] : '\0';
            whitespaceOnly &= c == ';' || Character.isWhitespace(c);
            boolean comment = c == '-' && next == '-' || c == '/' && next == '*';
            code |= !comment && c != ';' && !Character.isWhitespace(c);
            int at = i;
            boolean wordChar = false;
            switch (c) {
                case '"' -> i = endOfDoubleQuoted(text, i);
                case '$' -> i = endOfDollarQuoted(text, i);
                case '\'' -> i = endOfQuoted(text, i, standardConformingStrings);
                case ')' -> parentheses--;
                case '-' -> i = endOfLineComment(text, i);
                case '/' -> i = endOfBlockComment(text, i);
                case ';' -> {
                    if (!atomic && parentheses == 0) {
                        if (!whitespaceOnly) {
                            sent++;
                            whitespaceOnly = true;
                        }
                        if (code) {
                            counted++;
                            code = false;
                        }
                        command = BLANK;
                    }
                }
                default -> {
                    wordChar = wordStart >= 0 ? Character.isJavaIdentifierPart(c) : Character.isJavaIdentifierStart(c);
                    if (wordChar && wordStart < 0) {
                        wordStart = i;
                    }
                }
            }
            if (wordStart >= 0 && (i == length - 1 || !wordChar)) {
                int wordLength = (wordChar ? i + 1 : at) - wordStart;
                if (command == BLANK) {
                    if (is(text, wordStart, wordLength, "insert")) {
                        // pgjdbc takes an INSERT for the statement's command only once, in the first piece.
                        if (!insertSeen && sent == 0) {
                            insertSeen = true;
                            command = OTHER;
                        }
                    } else if (is(text, wordStart, wordLength, "create")) {
                        command = CREATE;
                    } else if (is(text, wordStart, wordLength, "alter") || is(text, wordStart, wordLength, "update")
                            || is(text, wordStart, wordLength, "delete") || is(text, wordStart, wordLength, "move")
                            || is(text, wordStart, wordLength, "select") || is(text, wordStart, wordLength, "with")) {
                        command = OTHER;
                    }
                } else if (command == CREATE) {
                    // pgjdbc wants a character after BEGIN and ATOMIC; beginSeen outlives the piece, as in pgjdbc.
                    if (wordLength == 5 && is(text, wordStart, 5, "begin") && wordStart + 5 < length) {
                        beginSeen = true;
                    } else if (beginSeen) {
                        atomic |= wordLength == 6 && is(text, wordStart, 6, "atomic") && wordStart + 6 < length;
                        beginSeen = false;
                    }
                }
                wordStart = -1;
            }
            if (c == '(') {
                parentheses++;
            }
        }
        return code ? counted + 1 : counted;
    }

    private static boolean is(char[] text, int start, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((text[start + i] | 32) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the closing quote, or the end; {@code ""} reads as two quoted names, which ends the same. */
    private static int endOfDoubleQuoted(char[] text, int open) {
        int i = open + 1;
        while (i < text.length && text[i] != '"') {
            i++;
        }
        return i;
    }

    /**
     * The index of the closing quote, or the end. pgjdbc takes {@code E'} for an escape string only after a space, a
     * sign or a double quote, and not at the second character of the text.
     */
    private static int endOfQuoted(char[] text, int open, boolean standardConformingStrings) {
        boolean escapes = !standardConformingStrings || open >= 2 && (text[open - 1] == 'E' || text[open - 1] == 'e')
                && endsName(text[open - 2]);
        for (int i = open + 1; i < text.length; i++) {
            if (text[i] == '\'') {
                return i;
            }
            if (escapes && text[i] == '\\') {
                i++;
            }
        }
        return text.length;
    }

    private static boolean endsName(char c) {
        return c == '"' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
                || ",()[].;:+-*/%^<>=~!@#&|`?".indexOf(c) >= 0;
    }

    /** The index of the last character of {@code $tag$ ... $tag$}, the end when unclosed, or {@code open}. */
    private static int endOfDollarQuoted(char[] text, int open) {
        if (open + 1 >= text.length || open > 0 && Character.isJavaIdentifierPart(text[open - 1])) {
            return open;
        }
        int tagEnd = -1;
        if (text[open + 1] == '$') {
            tagEnd = open + 1;
        } else if (text[open + 1] != '$' && Character.isJavaIdentifierStart(text[open + 1])) {
            for (int d = open + 2; d < text.length; d++) {
                if (text[d] == '$') {
                    tagEnd = d;
                    break;
                }
                if (!Character.isJavaIdentifierPart(text[d])) {
                    break;
                }
            }
        }
        if (tagEnd < 0) {
            return open;
        }
        int tagLength = tagEnd - open + 1;
        for (int i = tagEnd + 1; i < text.length; i++) {
            if (text[i] == '$' && sameTag(text, open, i, tagLength)) {
                return i + tagLength - 1;
            }
        }
        return text.length;
    }

    private static boolean sameTag(char[] text, int tag, int at, int length) {
        if (at + length > text.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text[tag + i] != text[at + i]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the line break (CR or LF) that ends a {@code --} comment, the last index, or {@code open}. */
    private static int endOfLineComment(char[] text, int open) {
        if (open + 1 >= text.length || text[open + 1] != '-') {
            return open;
        }
        int i = open;
        while (i + 1 < text.length) {
            i++;
            if (text[i] == '\r' || text[i] == '\n') {
                break;
            }
        }
        return i;
    }

    /**
     * The index of the {@code /} that closes a block comment, past the end when unclosed, or {@code open}. Nested
     * comments count, and, as in pgjdbc, the star that opens one may also close it: slash, star, slash is a whole
     * comment.
     */
    private static int endOfBlockComment(char[] text, int open) {
        if (open + 1 >= text.length || text[open + 1] != '*') {
            return open;
        }
        int depth = 1;
        int i = open + 2;
        for (; i < text.length; i++) {
            char before = text[i - 1];
            if (before == '*' && text[i] == '/') {
                depth--;
                i++;
            } else if (before == '/' && text[i] == '*') {
                depth++;
                i++;
            }
            if (depth == 0) {
                return i - 1;
            }
        }
        return i;
    }
}
