package io.pgdbm;

/**
 * Makes text from outside (SQL, names, what the server or the driver said) safe to print in a message: control
 * characters become Java escapes (<code>&#92;u0000</code>), so a message cannot hide text, end a log line early or
 * forge the next one.
 */
final class Messages {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Messages() {
    }

    /**
     * {@code text} with every C0 and C1 control character, DEL, the line and paragraph separators (U+2028, U+2029)
     * and the bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069) written as
     * <code>&#92;uXXXX</code>.
     *
     * @param keepLayout keep line feeds (also after a carriage return) and tabs, which multi-line messages
     *     ({@code \n  SQL: ...}) and the SQL they quote are made of
     */
    static String printable(String text, boolean keepLayout) {
        if (text == null) {
            return null;
        }
        int first = 0;
        while (first < text.length() && !escaped(text, first, keepLayout)) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escaped(text, i, keepLayout)) {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean escaped(String text, int index, boolean keepLayout) {
        char c = text.charAt(index);
        if (c == '\n' || c == '\t') {
            return !keepLayout;
        }
        if (c == '\r' && keepLayout && index + 1 < text.length() && text.charAt(index + 1) == '\n') {
            // A Windows line end in quoted SQL is layout too; a carriage return alone can overwrite a log line.
            return false;
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
