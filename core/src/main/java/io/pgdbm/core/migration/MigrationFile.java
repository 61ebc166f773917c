package io.pgdbm.core.migration;

import io.pgdbm.core.internal.sql.SqlSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration file of a module, read and checked.
 *
 * @param version the number the file name starts with ({@code 002_add_email.sql} and {@code V2__add_email.sql} are
 *     both version 2); files apply in numeric order
 * @param description the rest of the name, without the extension
 * @param filename the file's name, as the history table records it
 * @param text the file's text, before templates are expanded
 * @param checksum SHA-256 (hex) of the text with CRLF turned into LF and surrounding whitespace trimmed, exactly as
 *     pgdbm (Python) computes it, so a history it wrote is continued: pgdbm reads files with universal newlines (a
 *     lone CR is a line break too) and trims what Python's {@code str.strip()} calls whitespace
 * @param transactional false when the first line is exactly {@code -- pgdbm:no-transaction}
 */
public record MigrationFile(long version, String description, String filename, String text, String checksum,
        boolean transactional) {

    /** The marker that makes a file run statement by statement in auto-commit mode. */
    public static final String NO_TRANSACTION_MARKER = "-- pgdbm:no-transaction";

    /** Where pgdbm (Python) finds the marker: at the start of any line, followed by whitespace or the end. */
    private static final Pattern PYTHON_MARKER = Pattern.compile("^" + Pattern.quote(NO_TRANSACTION_MARKER)
            + "(?=\\s|$)", Pattern.MULTILINE);

    /** The checksum pgdbm records for {@code text}. */
    public static String checksumOf(String text) {
        return checksumOf(text, sha256());
    }

    /** The checksum with a digest reused across files: looking one up costs more than hashing a small file. */
    static String checksumOf(String text, MessageDigest sha256) {
        String lines = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
        byte[] normalised = pythonStrip(lines).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(sha256.digest(normalised));
    }

    /**
     * A checksum of the file's statements without comments and insignificant whitespace (before templates are
     * expanded): two versions of a file with the same statements checksum differ only in comments or whitespace. Kept
     * in the history beside {@link #checksum()}, so that a changed file can be told apart from a changed schema.
     */
    public String statementsChecksum() {
        return HexFormat.of().formatHex(sha256().digest(SqlSplitter.normalize(text).getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether the file holds a statement, rather than only comments and whitespace. */
    public boolean hasStatements() {
        return SqlSplitter.hasStatement(text);
    }

    /**
     * {@code text.strip()} as Python does it. Java's {@link String#strip()} disagrees on a few characters (it keeps
     * U+0085, U+00A0, U+2007 and U+202F), and a checksum that differs from pgdbm's would re-apply a file pgdbm recorded.
     */
    static String pythonStrip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.isspace()} for one UTF-16 unit (every such character is in the BMP). */
    private static boolean isPythonSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                    '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The line of a no-transaction marker that is not exactly the first line, as pgdbm (Python) would read it (at the
     * start of any line, followed by whitespace or the end of the line), or 0 when there is none. pgdbm honoured such a
     * marker; silently running the file in a transaction instead would surprise whoever wrote it.
     */
    static int misplacedMarkerLine(String text) {
        Matcher marker = PYTHON_MARKER.matcher(text);
        if (marker.find()) {
            int line = 1;
            for (int i = 0; i < marker.start(); i++) {
                line += text.charAt(i) == '\n' ? 1 : 0;
            }
            return line;
        }
        return 0;
    }

    /** Whether the first line of {@code text} is exactly the no-transaction marker. */
    static boolean isNoTransaction(String text) {
        int end = text.indexOf('\n');
        String firstLine = end < 0 ? text : text.substring(0, end);
        if (firstLine.endsWith("\r")) {
            firstLine = firstLine.substring(0, firstLine.length() - 1);
        }
        return firstLine.equals(NO_TRANSACTION_MARKER);
    }
}
