package io.pgdbm.core.internal.engine;

import io.pgdbm.ConnectionWork;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.Row;
import io.pgdbm.TransactionAction;
import io.pgdbm.TransactionOptions;
import io.pgdbm.TransactionWork;
import io.pgdbm.core.internal.mapping.Binder;
import io.pgdbm.core.internal.mapping.ColumnReader;
import io.pgdbm.core.internal.mapping.CopyEncoder;
import io.pgdbm.core.internal.mapping.Mappers;
import io.pgdbm.core.internal.mapping.ResultMapper;
import io.pgdbm.core.internal.sql.Identifiers;
import io.pgdbm.core.internal.sql.TemplateRenderer;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The {@link ModuleDatabase} of one module. The same class serves as the handle passed to transaction callbacks,
 * then bound to that transaction ({@code bound}) instead of following the thread's current one.
 */
final class DefaultModuleDatabase implements ModuleDatabase {

    /** Beyond this many distinct SQL texts a module stops caching new ones (generated SQL must not grow memory). */
    private static final int MAX_CACHED_STATEMENTS = 4096;
    private static final int BATCH_CHUNK = 1000;
    private static final int STREAM_FETCH_SIZE = 500;
    private static final Object[] NO_PARAMS = new Object[0];

    private final Engine engine;
    private final String name;
    private final String schema;
    private final ConcurrentHashMap<String, SqlStatement> statements;
    private final TransactionState bound;

    DefaultModuleDatabase(Engine engine, String name, String schema) {
        this(engine, name, schema, new ConcurrentHashMap<>(), null);
    }

    private DefaultModuleDatabase(Engine engine, String name, String schema,
            ConcurrentHashMap<String, SqlStatement> statements, TransactionState bound) {
        this.engine = engine;
        this.name = name;
        this.schema = schema;
        this.statements = statements;
        this.bound = bound;
    }

    DefaultModuleDatabase boundTo(TransactionState state) {
        return new DefaultModuleDatabase(engine, name, schema, statements, state);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public String render(String sql) {
        return rendered(sql).text;
    }

    @Override
    public String explain(String sql, Object... params) {
        return value("explain", "EXPLAIN (FORMAT JSON) " + sql, String.class, params);
    }

    @Override
    public String explainAnalyze(String sql, Object... params) {
        String analyze = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql;
        // Checked before the transaction begins, so that a refused text sends nothing at all.
        statement(analyze, "explainAnalyze");
        String[] plan = new String[1];
        try {
            inTransaction(tx -> {
                plan[0] = tx.fetchValue(analyze, String.class, params);
                throw new MeasuredRollback();
            });
        } catch (MeasuredRollback expected) {
            // Rolled back on purpose: the statement's effects are gone, the plan is kept.
        }
        return plan[0];
    }

    /** Ends the transaction {@link #explainAnalyze} measured in, undoing what the statement did. */
    private static final class MeasuredRollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MeasuredRollback() {
            super(null, null, false, false);
        }
    }

    private static long oneOrNone(Object row) {
        return row == null ? 0 : 1;
    }

    private static long oneOrUnknown(Object value) {
        return value == null ? -1 : 1;
    }

    @Override
    public int execute(String sql, Object... params) {
        SqlStatement statement = statement(sql, "execute");
        Object[] values = params(params);
        return engine.run(name, transaction(), statement.text, values, Integer::longValue, connection -> {
            try (PreparedStatement prepared = connection.prepareStatement(statement.text)) {
                Binder.bindAll(prepared, values);
                prepared.execute();
                return Math.max(0, prepared.getUpdateCount());
            }
        });
    }

    @Override
    public <T> T fetchValue(String sql, Class<T> type, Object... params) {
        return value("fetchValue", sql, type, params);
    }

    @SuppressWarnings("unchecked")
    private <T> T value(String call, String sql, Class<T> type, Object[] params) {
        SqlStatement statement = statement(sql, call);
        Object[] values = params(params);
        ColumnReader reader = Mappers.scalarReader(Objects.requireNonNull(type, "type"), statement.reads(name));
        // A null value may be a row with a NULL or no row at all: the row count is known only for a value.
        return engine.run(name, transaction(), statement.text, values, DefaultModuleDatabase::oneOrUnknown,
                connection -> {
            try (PreparedStatement prepared = connection.prepareStatement(statement.text)) {
                Binder.bindAll(prepared, values);
                prepared.setMaxRows(1);
                try (ResultSet resultSet = prepared.executeQuery()) {
                    return resultSet.next() ? (T) reader.read(resultSet, 1) : null;
                }
            }
        });
    }

    @Override
    public Optional<Row> fetchOne(String sql, Object... params) {
        return fetchOne(sql, Row.class, params);
    }

    @Override
    public <T> Optional<T> fetchOne(String sql, Class<T> type, Object... params) {
        SqlStatement statement = statement(sql, "fetchOne");
        Object[] values = params(params);
        Objects.requireNonNull(type, "type");
        return Optional.ofNullable(engine.run(name, transaction(), statement.text, values,
                DefaultModuleDatabase::oneOrNone, connection -> {
            try (PreparedStatement prepared = connection.prepareStatement(statement.text)) {
                Binder.bindAll(prepared, values);
                prepared.setMaxRows(1);
                try (ResultSet resultSet = prepared.executeQuery()) {
                    if (!resultSet.next()) {
                        return null;
                    }
                    return statement.mapper(type, resultSet, name).map(resultSet);
                }
            }
        }));
    }

    @Override
    public List<Row> fetchAll(String sql, Object... params) {
        return fetchAll(sql, Row.class, params);
    }

    @Override
    public <T> List<T> fetchAll(String sql, Class<T> type, Object... params) {
        SqlStatement statement = statement(sql, "fetchAll");
        Object[] values = params(params);
        Objects.requireNonNull(type, "type");
        return engine.run(name, transaction(), statement.text, values, List::size, connection -> {
            try (PreparedStatement prepared = connection.prepareStatement(statement.text)) {
                Binder.bindAll(prepared, values);
                try (ResultSet resultSet = prepared.executeQuery()) {
                    List<T> result = new ArrayList<>();
                    if (resultSet.next()) {
                        ResultMapper<T> mapper = statement.mapper(type, resultSet, name);
                        do {
                            result.add(mapper.map(resultSet));
                        } while (resultSet.next());
                    }
                    return result;
                }
            }
        });
    }

    @Override
    public Stream<Row> stream(String sql, Object... params) {
        return stream(sql, Row.class, params);
    }

    @Override
    public <T> Stream<T> stream(String sql, Class<T> type, Object... params) {
        SqlStatement statement = statement(sql, "stream");
        return ResultStream.open(engine, name, statement, params(params), Objects.requireNonNull(type, "type"),
                transaction(), STREAM_FETCH_SIZE);
    }

    @Override
    public int[] executeBatch(String sql, List<? extends Object[]> batch) {
        SqlStatement statement = statement(sql, "executeBatch");
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return new int[0];
        }
        return engine.atomically(name, transaction(), statement.text, null, Engine::sum, connection -> {
            int[] counts = new int[batch.size()];
            int done = 0;
            try (PreparedStatement prepared = connection.prepareStatement(statement.text)) {
                int pending = 0;
                for (Object[] values : batch) {
                    Binder.bindAll(prepared, values == null ? NO_PARAMS : values);
                    prepared.addBatch();
                    if (++pending == BATCH_CHUNK) {
                        int[] chunk = prepared.executeBatch();
                        System.arraycopy(chunk, 0, counts, done, chunk.length);
                        done += chunk.length;
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    int[] chunk = prepared.executeBatch();
                    System.arraycopy(chunk, 0, counts, done, chunk.length);
                }
            }
            return counts;
        });
    }

    @Override
    public long copyIn(String table, List<String> columns, Iterable<? extends Object[]> rows) {
        Objects.requireNonNull(rows, "rows");
        String copySql = copyStatement(table, columns);
        return engine.run(name, transaction(), copySql, null, Long::longValue, connection -> {
            CopyIn copy = copyManager(connection).copyIn(copySql);
            try {
                CopyEncoder.write(copy, columns.size(), rows);
                return copy.endCopy();
            } catch (IllegalArgumentException e) {
                cancel(copy);
                throw new PgdbmException(name + " - copyIn into " + table + " cancelled, nothing was copied: "
                        + e.getMessage());
            } catch (SQLException | RuntimeException | Error e) {
                cancel(copy);
                throw e;
            }
        });
    }

    @Override
    public long copyIn(String copySql, Reader data) {
        SqlStatement statement = statement(copySql, "copyIn");
        Objects.requireNonNull(data, "data");
        return engine.run(name, transaction(), statement.text, null, Long::longValue, connection -> {
            try {
                return copyManager(connection).copyIn(statement.text, data, 65536);
            } catch (IOException e) {
                throw new PgdbmException(name + " - reading the data for COPY failed, nothing was copied: " + e, e);
            }
        });
    }

    private String copyStatement(String table, List<String> columns) {
        Objects.requireNonNull(columns, "columns");
        if (!Identifiers.isValid(table)) {
            throw new PgdbmException(name + " - copyIn: table '" + table + "' is not a plain table name: "
                    + Identifiers.explain() + " (the module's schema is added for you)");
        }
        if (columns.isEmpty()) {
            throw new PgdbmException(name + " - copyIn into " + table + ": name at least one column");
        }
        StringBuilder sql = new StringBuilder("COPY ").append(Identifiers.quote(schema)).append('.')
                .append(Identifiers.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (!Identifiers.isValid(column)) {
                throw new PgdbmException(name + " - copyIn into " + table + ": column '" + column
                        + "' is not a plain column name: " + Identifiers.explain());
            }
            sql.append(i > 0 ? ", " : "").append(Identifiers.quote(column));
        }
        return sql.append(") FROM STDIN").toString();
    }

    private CopyManager copyManager(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(PGConnection.class)) {
            throw new PgdbmException(name + " - COPY needs pgjdbc's connection, and this DataSource's connections "
                    + "do not unwrap to org.postgresql.PGConnection");
        }
        return connection.unwrap(PGConnection.class).getCopyAPI();
    }

    private static void cancel(CopyIn copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // Cancelling reports the cancellation itself as an error; the original failure is what matters.
        }
    }

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
        return inTransaction(TransactionOptions.defaults(), work);
    }

    @Override
    public <T> T inTransaction(TransactionOptions options, TransactionWork<T> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        return engine.inTransaction(this, checkedBound(), options, work);
    }

    @Override
    public void useTransaction(TransactionAction action) {
        useTransaction(TransactionOptions.defaults(), action);
    }

    @Override
    public void useTransaction(TransactionOptions options, TransactionAction action) {
        Objects.requireNonNull(action, "action");
        inTransaction(options, tx -> {
            action.run(tx);
            return null;
        });
    }

    @Override
    public boolean isInTransaction() {
        return bound != null ? bound.open : engine.currentTransaction() != null;
    }

    @Override
    public <T> T withConnection(ConnectionWork<T> work) {
        Objects.requireNonNull(work, "work");
        return engine.run(name, transaction(), null, null, work::run);
    }

    private TransactionState transaction() {
        if (bound == null) {
            return engine.currentTransaction();
        }
        bound.checkUsable(name);
        return bound;
    }

    private TransactionState checkedBound() {
        if (bound != null) {
            bound.checkUsable(name);
        }
        return bound;
    }

    /** The statement a call runs: rendered, and refused unless it is one statement (see SqlStatement). */
    private SqlStatement statement(String sql, String call) {
        SqlStatement statement = rendered(sql);
        statement.checkOneStatement(name, call);
        return statement;
    }

    private SqlStatement rendered(String sql) {
        Objects.requireNonNull(sql, "sql");
        int version = engine.templateVersion();
        SqlStatement statement = statements.get(sql);
        if (statement != null && statement.version == version) {
            return statement;
        }
        statement = new SqlStatement(TemplateRenderer.render(sql, name, schema, engine::schemaOf), version,
                engine.config().logValues());
        if (statements.size() < MAX_CACHED_STATEMENTS) {
            statements.put(sql, statement);
        }
        return statement;
    }

    private static Object[] params(Object[] params) {
        return params == null ? NO_PARAMS : params;
    }

    @Override
    public String toString() {
        return "ModuleDatabase[" + name + ", schema=" + schema + ", datasource=" + engine.name()
                + (bound != null ? ", transaction" : "") + "]";
    }
}
