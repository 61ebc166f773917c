package io.pgdbm.core.internal.engine;

import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.core.internal.mapping.Binder;
import io.pgdbm.core.internal.mapping.ResultMapper;
import java.lang.ref.Reference;
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
 *
 * <p>A stream is reported once, when it ends: its time is the time to the first rows (reading the rest goes at the
 * caller's pace), its rows the rows read, and a failure while reading counts as the statement's failure.
 *
 * <p>Outside a transaction the stream holds a connection of its own after {@code stream()} returns, through a
 * {@link ConnectionLease}: dropped unclosed, it gives the connection back once the garbage collector finds it, with a
 * warning that says where it was opened. Inside a transaction the cursor dies with the transaction.
 */
final class ResultStream<T> extends Spliterators.AbstractSpliterator<T> implements AutoCloseable {

    private final Engine engine;
    private final String module;
    private final SqlStatement statement;
    private final Object[] params;
    private final Class<T> type;
    private final TransactionState transaction;
    private final TransactionHandler handler;
    private final PreparedStatement prepared;
    private final ResultSet resultSet;
    /** The connection of its own and its read transaction, or {@code null} inside a transaction. */
    private final ConnectionLease lease;
    private final long firstRowsNanos;
    private ResultMapper<T> mapper;
    private long rowsRead;
    private String failedWith;
    private boolean closed;

    private ResultStream(Engine engine, String module, SqlStatement statement, Object[] params, Class<T> type,
            TransactionState transaction, TransactionHandler handler, PreparedStatement prepared, ResultSet resultSet,
            ConnectionLease lease, long firstRowsNanos) {
        super(Long.MAX_VALUE, Spliterator.ORDERED);
        this.engine = engine;
        this.module = module;
        this.statement = statement;
        this.params = params;
        this.type = type;
        this.transaction = transaction;
        this.handler = handler;
        this.prepared = prepared;
        this.resultSet = resultSet;
        this.lease = lease;
        this.firstRowsNanos = firstRowsNanos;
    }

    static <T> Stream<T> open(Engine engine, String module, SqlStatement statement, Object[] params, Class<T> type,
            TransactionState transaction, int fetchSize) {
        // Inside a unit, the unit decides what a failure means (a savepoint may undo it).
        TransactionHandler handler = transaction != null ? TransactionHandler.LOCAL : engine.handler();
        OpenedAt openedAt = transaction == null ? OpenedAt.capture() : null;
        Connection connection = transaction != null ? transaction.connection : engine.acquire(module);
        ConnectionLease lease = null;
        PreparedStatement prepared = null;
        long started = System.nanoTime();
        try {
            if (transaction == null) {
                handler = handler.on(connection);
                TransactionHandler.Unit unit = handler.begin(module, connection, TransactionOptions.defaults());
                lease = ConnectionLease.of(engine, module, statement.text, connection, unit, openedAt);
            }
            prepared = connection.prepareStatement(statement.text, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            if (lease != null) {
                lease.statement(prepared);
            }
            prepared.setFetchSize(fetchSize);
            Binder.bindAll(prepared, params);
            ResultSet resultSet = prepared.executeQuery();
            ResultStream<T> stream = new ResultStream<>(engine, module, statement, params, type, transaction,
                    handler, prepared, resultSet, lease, System.nanoTime() - started);
            if (transaction != null) {
                transaction.register(stream);
            } else {
                lease.watch(stream);
            }
            return StreamSupport.stream(stream, false).onClose(stream::close);
        } catch (SQLException e) {
            giveBack(engine, connection, lease, prepared, transaction, e);
            QueryException failure = engine.errors().query(module, statement.text, params, e);
            engine.observe(module, statement.text, params, started, -1, failure.getSqlState());
            throw handler.failed(failure);
        } catch (RuntimeException e) {
            giveBack(engine, connection, lease, prepared, transaction, e);
            throw e;
        }
    }

    /** Opening failed: the statement is closed, and a connection of the stream's own goes back. */
    private static void giveBack(Engine engine, Connection connection, ConnectionLease lease,
            PreparedStatement prepared, TransactionState transaction, Exception failure) {
        closeQuietly(prepared);
        if (lease != null) {
            lease.end(failure);
        } else if (transaction == null) {
            engine.release(connection);
        }
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
        try {
            return advance(action);
        } finally {
            // The cleaner must not take this stream's connection while a row is being read from it.
            Reference.reachabilityFence(this);
        }
    }

    private boolean advance(Consumer<? super T> action) {
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
            T row = mapper.map(resultSet);
            rowsRead++;
            action.accept(row);
            return true;
        } catch (SQLException e) {
            QueryException failure = engine.errors().query(module, statement.text, params, e);
            failedWith = failure.getSqlState();
            close();
            throw handler.failed(failure);
        } catch (QueryException e) {
            failedWith = e.getSqlState();
            close();
            throw e;
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
        try {
            engine.observer().observe(module, statement.text, params, firstRowsNanos, rowsRead, failedWith);
            closeQuietly(prepared);
            if (transaction != null) {
                transaction.unregister(this);
            } else {
                lease.end(null);
            }
        } finally {
            Reference.reachabilityFence(this);
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
