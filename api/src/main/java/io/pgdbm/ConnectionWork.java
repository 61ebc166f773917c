package io.pgdbm;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on the raw JDBC connection. See {@link ModuleDatabase#withConnection(ConnectionWork)}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface ConnectionWork<T> {

    /**
     * Runs the work. Do not close the connection and do not change its auto-commit mode: pgdbm owns both.
     *
     * @param connection the connection; the open transaction's when one is open on this thread
     * @return the value {@code withConnection} returns
     * @throws SQLException wrapped by pgdbm into a {@link QueryException}
     */
    T run(Connection connection) throws SQLException;
}
