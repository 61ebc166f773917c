package io.pgdbm;

import java.sql.Connection;

/** Transaction isolation levels PostgreSQL implements. See {@link TransactionOptions}. */
public enum IsolationLevel {
    /** Whatever the server's {@code default_transaction_isolation} says (READ COMMITTED unless changed). */
    DEFAULT(-1),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** The {@code java.sql.Connection.TRANSACTION_*} constant, or -1 for {@link #DEFAULT}. */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
