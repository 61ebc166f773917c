package io.pgdbm.core.internal.engine;

import io.pgdbm.core.internal.mapping.ResultMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A query read through a server-side cursor: pgjdbc fetches {@code fetchSize} rows at a time when the connection is
 * not in auto-commit mode, so outside a transaction the stream opens its own (read) transaction and ends it on close,
 * or as soon as the last row has been read.
 */
final class ResultStream<T> extends Spliterators.AbstractSpliterator<T> implements AutoCloseable {

    private final Engine engine;
    private final String module;
    private final SqlStatement statement;
    private final Object[] params;
    private final Class<T> type;
    private final Connection connection;
    private final TransactionState transaction;
    private final PreparedStatement prepared;
    private final ResultSet resultSet;
    private final boolean restoreAutoCommit;
    private ResultMapper<T> mapper;
    private boolean closed;

    private ResultStream(Engine engine, String module, SqlStatement statement, Object[] params, Class<T> type,
            Connection connection, TransactionState transaction, PreparedStatement prepared, ResultSet resultSet,
            boolean restoreAutoCommit) {
        super(Long.MAX_VALUE, Spliterator.ORDERED);
        this.engine = engine;
        this.module = module;
        this.statement = statement;
        this.params = params;
        this.type = type;
        this.connection = connection;
        this.transaction = transaction;
        this.prepared = prepared;
        this.resultSet = resultSet;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    static <T> Stream<T> open(Engine engine, String module, SqlStatement statement, Object[] params, Class<T> type,
            TransactionState transaction, int fetchSize) {
        Connection connection = transaction != null ? transaction.connection : engine.acquire(module);
        boolean restoreAutoCommit = false;
        PreparedStatement prepared = null;
        long started = System.nanoTime();
        try {
            if (transaction == null && connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                restoreAutoCommit = true;
            }
            prepared = connection.prepareStatement(statement.text, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            prepared.setFetchSize(fetchSize);
            io.pgdbm.core.internal.mapping.Binder.bindAll(prepared, params);
            ResultSet resultSet = prepared.executeQuery();
            // The time to the first rows; reading the rest is the caller's pace.
            engine.observe(module, statement.text, params, started, -1, null);
            ResultStream<T> stream = new ResultStream<>(engine, module, statement, params, type, connection,
                    transaction, prepared, resultSet, restoreAutoCommit);
            if (transaction != null) {
                transaction.register(stream);
            }
            return StreamSupport.stream(stream, false).onClose(stream::close);
        } catch (SQLException e) {
            closeQuietly(prepared);
            if (transaction == null) {
                engine.endReadTransaction(connection, restoreAutoCommit, false);
                engine.release(connection);
            }
            io.pgdbm.QueryException failure = engine.errors().query(module, statement.text, params, e);
            engine.observe(module, statement.text, params, started, -1, failure.getSqlState());
            throw failure;
        } catch (RuntimeException e) {
            closeQuietly(prepared);
            if (transaction == null) {
                engine.endReadTransaction(connection, restoreAutoCommit, false);
                engine.release(connection);
            }
            throw e;
        }
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
        if (closed) {
            return false;
        }
        try {
            if (!resultSet.next()) {
                // Exhausted: give the connection back now, so a stream read to the end without
                // try-with-resources does not hold it. Closing again later is harmless.
                close();
                return false;
            }
            if (mapper == null) {
                mapper = statement.mapper(type, resultSet, module);
            }
            action.accept(mapper.map(resultSet));
            return true;
        } catch (SQLException e) {
            close();
            throw engine.errors().query(module, statement.text, params, e);
        } catch (RuntimeException | Error e) {
            // A mapping failure or the consumer's own exception: the stream is done, give the connection back.
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(prepared);
        if (transaction != null) {
            transaction.unregister(this);
        } else {
            engine.endReadTransaction(connection, restoreAutoCommit, true);
            engine.release(connection);
        }
    }

    private static void closeQuietly(PreparedStatement prepared) {
        if (prepared != null) {
            try {
                prepared.close();
            } catch (SQLException ignored) {
                // The statement dies with its connection or transaction anyway; nothing to report.
            }
        }
    }
}
