package io.pgdbm.core.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One migration file of a module, read and checked.
 *
 * @param version the number the file name starts with ({@code 002_add_email.sql} and {@code V2__add_email.sql} are
 *     both version 2); files apply in numeric order
 * @param description the rest of the name, without the extension
 * @param filename the file's name, as the history table records it
 * @param text the file's text, before templates are expanded
 * @param checksum SHA-256 (hex) of the text with CRLF turned into LF and surrounding whitespace trimmed, exactly as
 *     pgdbm (Python) computes it, so a history it wrote is continued
 * @param transactional false when the first line is exactly {@code -- pgdbm:no-transaction}
 */
public record MigrationFile(long version, String description, String filename, String text, String checksum,
        boolean transactional) {

    /** The marker that makes a file run statement by statement in auto-commit mode. */
    public static final String NO_TRANSACTION_MARKER = "-- pgdbm:no-transaction";

    /** The checksum pgdbm records for {@code text}. */
    public static String checksumOf(String text) {
        return checksumOf(text, sha256());
    }

    /** The checksum with a digest reused across files: looking one up costs more than hashing a small file. */
    static String checksumOf(String text, MessageDigest sha256) {
        byte[] normalised = text.replace("\r\n", "\n").strip().getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(sha256.digest(normalised));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
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
