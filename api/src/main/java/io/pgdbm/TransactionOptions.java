package io.pgdbm;

import java.util.Objects;

/**
 * How a transaction is opened: its isolation level and whether it is read-only. Immutable; each {@code with} method
 * returns a copy.
 *
 * <pre>{@code
 * long total = db.inTransaction(TransactionOptions.defaults().isolation(IsolationLevel.REPEATABLE_READ).readOnly(true),
 *         tx -> tx.fetchValue("SELECT sum(amount) FROM {{tables.payments}}", Long.class));
 * }</pre>
 *
 * <p>Options apply to the outermost transaction. A nested call (a savepoint) may repeat the outer options or use
 * {@link #defaults()}; asking for a different isolation level, or for writes inside a read-only transaction, throws.
 */
public final class TransactionOptions {

    private static final TransactionOptions DEFAULTS = new TransactionOptions(IsolationLevel.DEFAULT, false);

    private final IsolationLevel isolation;
    private final boolean readOnly;

    private TransactionOptions(IsolationLevel isolation, boolean readOnly) {
        this.isolation = Objects.requireNonNull(isolation, "isolation");
        this.readOnly = readOnly;
    }

    /** The server's default isolation level, read-write. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** A copy with the given isolation level. */
    public TransactionOptions isolation(IsolationLevel level) {
        return new TransactionOptions(level, readOnly);
    }

    /** A copy that is read-only ({@code true}) or read-write ({@code false}). */
    public TransactionOptions readOnly(boolean value) {
        return new TransactionOptions(isolation, value);
    }

    public IsolationLevel isolationLevel() {
        return isolation;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** True when these are the defaults: nothing to set on the connection. */
    public boolean isDefault() {
        return isolation == IsolationLevel.DEFAULT && !readOnly;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TransactionOptions o && o.isolation == isolation && o.readOnly == readOnly;
    }

    @Override
    public int hashCode() {
        return isolation.hashCode() * 31 + Boolean.hashCode(readOnly);
    }

    @Override
    public String toString() {
        return "TransactionOptions[isolation=" + isolation + ", readOnly=" + readOnly + "]";
    }
}
