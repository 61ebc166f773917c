package io.pgdbm.core.internal.mapping;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * Copies of a driver exception and the chain under it that may be attached as a cause while values stay hidden.
 * Internal.
 *
 * <p>What tells failures apart stays: the SQLState and vendor code of every {@link SQLException} (their messages
 * masked), and the I/O and security exceptions themselves ({@code SocketTimeoutException: Read timed out},
 * {@code SocketException: Connection reset}, {@code EOFException}, a certificate problem), which describe the
 * connection and never quote a value. Any other exception (a {@code NumberFormatException} quoting the text it could
 * not parse, say) is replaced by a stand-in that keeps its class name and stack trace but not its message.
 */
public final class SanitisedCauses {

    /** A chain longer than this is cut: the tail adds nothing, and a cycle must not loop. */
    private static final int MAX_DEPTH = 16;

    private SanitisedCauses() {
    }

    /**
     * A copy of {@code root} with {@code message}, its SQLState, vendor code and stack trace, and the sanitised
     * chain under it.
     *
     * @param mask hides values in the messages of the {@link SQLException}s under {@code root}
     */
    public static SQLException copy(SQLException root, String message, UnaryOperator<String> mask) {
        SQLException copy = new SQLException(message, root.getSQLState(), root.getErrorCode(),
                chain(root.getCause(), mask, 1));
        copy.setStackTrace(root.getStackTrace());
        return copy;
    }

    /** {@code failure} itself when it may be shown as it is (see above), else a sanitised copy of its chain. */
    static Throwable sanitised(Throwable failure, UnaryOperator<String> mask) {
        return chain(failure, mask, 1);
    }

    /** The first I/O exception in the chain under {@code failure} (it tells a timeout from a reset), or null. */
    public static IOException ioCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
            if (cause instanceof IOException io) {
                return io;
            }
            cause = cause.getCause();
        }
        return null;
    }

    private static Throwable chain(Throwable cause, UnaryOperator<String> mask, int depth) {
        if (cause == null || depth > MAX_DEPTH) {
            return null;
        }
        if (keptAsItIs(cause, depth)) {
            return cause;
        }
        if (cause instanceof SQLException sql) {
            SQLException copy = new SQLException(mask.apply(sql.getMessage()), sql.getSQLState(),
                    sql.getErrorCode(), chain(sql.getCause(), mask, depth + 1));
            copy.setStackTrace(sql.getStackTrace());
            return copy;
        }
        return new MessageHidden(cause, chain(cause.getCause(), mask, depth + 1));
    }

    /** An I/O or security exception whose whole chain is such exceptions, nothing suppressed. */
    private static boolean keptAsItIs(Throwable cause, int depth) {
        Throwable current = cause;
        for (int level = depth; current != null; level++) {
            if (level > MAX_DEPTH || current.getSuppressed().length > 0
                    || !(current instanceof IOException || current instanceof GeneralSecurityException)) {
                return false;
            }
            current = current.getCause();
        }
        return true;
    }

    /** Stands in for an exception whose message may quote a value: its class name and stack trace, no message. */
    static final class MessageHidden extends Exception {

        private static final long serialVersionUID = 1L;

        private final String className;

        MessageHidden(Throwable original, Throwable cause) {
            super("message hidden, it may quote a value (set pgdbm.log-values=true to show it)", cause, false, true);
            this.className = original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        /** The class of the exception this stands in for. */
        String className() {
            return className;
        }

        @Override
        public String toString() {
            return className + ": " + getMessage();
        }
    }
}
