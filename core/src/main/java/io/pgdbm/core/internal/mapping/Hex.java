package io.pgdbm.core.internal.mapping;

/** Lower-case hex, as PostgreSQL writes bytea. Internal. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    static void append(StringBuilder target, byte[] bytes) {
        for (byte b : bytes) {
            target.append(DIGITS[(b >> 4) & 0xF]).append(DIGITS[b & 0xF]);
        }
    }
}
