package io.pgdbm.core.internal.engine;

import io.pgdbm.PgdbmException;
import io.pgdbm.TransactionOptions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The unit of work open on one thread for one datasource: its connection, who decides about its transaction (pgdbm,
 * or the container it takes part in), options, depth and open cursors.
 */
final class TransactionState {

    final Connection connection;
    final TransactionHandler handler;
    /** The container transaction it takes part in ({@link TransactionHandler#transactionKey()}), or {@code null}. */
    final Object key;
    final TransactionOptions options;
    final Thread owner;
    boolean open = true;
    int savepointDepth;
    private List<ResultStream<?>> streams;

    TransactionState(Connection connection, TransactionHandler handler, TransactionOptions options, Thread owner) {
        this.connection = connection;
        this.handler = handler;
        this.key = handler.transactionKey();
        this.options = options;
        this.owner = owner;
    }

    /** Transaction handles belong to the thread and the lifetime of their transaction. */
    void checkUsable(String module) {
        if (!open) {
            throw new PgdbmException(module + " - this transaction handle is no longer usable: its transaction has "
                    + "ended. Use the handle only inside the inTransaction/useTransaction callback");
        }
        if (Thread.currentThread() != owner) {
            throw new PgdbmException(module + " - a transaction handle was used from thread '"
                    + Thread.currentThread().getName() + "', but its transaction belongs to thread '" + owner.getName()
                    + "'; JDBC connections are not for concurrent use: do the work on the owning thread");
        }
    }

    void register(ResultStream<?> stream) {
        if (streams == null) {
            streams = new ArrayList<>(2);
        }
        streams.add(stream);
    }

    void unregister(ResultStream<?> stream) {
        if (streams != null) {
            streams.remove(stream);
        }
    }

    /** Streams left open inside the transaction are closed before it ends: their cursors die with it anyway. */
    void closeStreams() {
        if (streams != null) {
            for (ResultStream<?> stream : new ArrayList<>(streams)) {
                stream.close();
            }
            streams = null;
        }
    }
}
