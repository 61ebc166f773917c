package io.pgdbm;

import java.io.Reader;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The database of one module: its schema, its datasource, its SQL.
 *
 * <p>Every method expands templates first: {@code {{tables.accounts}}} becomes {@code "<schema>"."accounts"},
 * {@code {{tables.users.accounts}}} the table {@code accounts} of module {@code users} (or of schema {@code users}
 * when no such module exists), and {@code {{schema}}} the quoted schema. A malformed placeholder throws
 * {@link TemplateException} before anything is sent, and so does SQL that holds more than one statement
 * ({@code SELECT 1; SELECT 2}): a call runs one statement, and multi-statement DDL belongs in a migration. Never build
 * a placeholder's name from input. Parameters are JDBC {@code ?} placeholders, always bound.
 *
 * <pre>{@code
 * ModuleDatabase users = ...;
 * users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
 * long id = users.fetchValue("SELECT id FROM {{tables.accounts}} WHERE email = ?", Long.class, "ada@example.com");
 * List<Account> all = users.fetchAll("SELECT id, email, created_at FROM {{tables.accounts}}", Account.class);
 * }</pre>
 *
 * <h2>Transactions</h2>
 * Transactions are bound to the calling thread and to the datasource. While {@link #inTransaction} runs, every plain
 * call ({@code execute}, {@code fetch*}, batches, COPY, streams) made on that thread through <em>any</em> module of the
 * same datasource joins the transaction, so two modules can change their tables atomically. A nested
 * {@code inTransaction} runs in a SAVEPOINT that is rolled back alone when the nested work throws.
 *
 * <h2>Types</h2>
 * Bound values may be {@code null}, {@link String}, the boxed primitives, {@link java.math.BigDecimal},
 * {@link java.util.UUID}, {@link java.time.LocalDate}, {@link java.time.LocalDateTime},
 * {@link java.time.OffsetDateTime}, {@link java.time.Instant}, {@code byte[]}, enums (bound by name, as text) and
 * arrays of these. JSON travels as text: bind a {@code String} with a cast ({@code ?::jsonb}) and read it back as a
 * {@code String}. Results map to records by component name ({@code created_at} fills {@code createdAt}), or to a single
 * value when the query returns one column.
 *
 * <h2>Errors</h2>
 * A statement that fails throws {@link QueryException} with the SQLState, this module's name and the SQL. Bound values
 * are not shown unless {@code pgdbm.log-values} is on. A value read back that cannot become the type asked for (by
 * {@code fetchValue}, {@code fetchOne}, {@code fetchAll}, {@code stream} or a {@link Row} getter) throws a
 * {@code QueryException} too, naming the column, its SQL type and the Java type, the value hidden the same way.
 */
public interface ModuleDatabase {

    /** The module's name. */
    String name();

    /** The module's effective schema (after any configuration override). */
    String schema();

    /**
     * Runs a statement that returns no rows.
     *
     * @return the update count (rows inserted, updated or deleted; 0 for DDL)
     */
    int execute(String sql, Object... params);

    /**
     * The first column of the first row, converted to {@code type}; {@code null} when the query returns no row or the
     * value is NULL. Handy with {@code INSERT ... RETURNING id}.
     */
    <T> T fetchValue(String sql, Class<T> type, Object... params);

    /** The first row, or empty when the query returns none. */
    Optional<Row> fetchOne(String sql, Object... params);

    /** The first row mapped to {@code type} (a record, or a single value for one column), or empty. */
    <T> Optional<T> fetchOne(String sql, Class<T> type, Object... params);

    /** Every row, read into memory. Use {@link #stream(String, Object...)} for results too large for that. */
    List<Row> fetchAll(String sql, Object... params);

    /**
     * Every row mapped to {@code type}: a record, whose components are matched to columns by name (case and
     * underscores ignored, so {@code created_at} fills {@code createdAt}); or, when the query returns one column, a
     * single value per row ({@code fetchAll("SELECT email FROM ...", String.class)}).
     */
    <T> List<T> fetchAll(String sql, Class<T> type, Object... params);

    /**
     * Rows read lazily through a server-side cursor, a few hundred at a time, so results of any size stream in constant
     * memory. The stream holds a connection until it is read to the end or closed; one abandoned half-way
     * holds it until closed, so always use try-with-resources.
     *
     * <pre>{@code
     * try (Stream<Row> rows = db.stream("SELECT * FROM {{tables.events}} ORDER BY id")) {
     *     rows.forEach(this::export);
     * }
     * }</pre>
     */
    Stream<Row> stream(String sql, Object... params);

    /** Like {@link #stream(String, Object...)}, with each row mapped to {@code type} as in {@link #fetchAll(String, Class, Object...)}. */
    <T> Stream<T> stream(String sql, Class<T> type, Object... params);

    /**
     * Runs one statement for each parameter set, in batches. Atomic: it runs in the open transaction, or in its own
     * when none is open. Pools that pgdbm owns rewrite batched inserts into multi-row inserts
     * ({@code reWriteBatchedInserts}).
     *
     * @return one update count per parameter set, as JDBC reports them ({@link java.sql.Statement#SUCCESS_NO_INFO}
     *     when the driver rewrote the batch)
     */
    int[] executeBatch(String sql, List<? extends Object[]> batch);

    /**
     * Loads rows into one of this module's tables with PostgreSQL's COPY, the fastest way in. Values are encoded as in
     * {@link #execute}; {@code table} and {@code columns} must be plain identifiers.
     *
     * <pre>{@code
     * users.copyIn("accounts", List.of("email", "created_at"), rows);
     * }</pre>
     *
     * @param table a table of this module (unqualified: the module's schema is applied)
     * @return the number of rows copied
     */
    long copyIn(String table, List<String> columns, Iterable<? extends Object[]> rows);

    /**
     * Runs a {@code COPY ... FROM STDIN} statement (templated) and streams {@code data} to it, e.g. a CSV file:
     * {@code copyIn("COPY {{tables.accounts}} (email) FROM STDIN (FORMAT csv, HEADER)", reader)}.
     *
     * @return the number of rows copied
     */
    long copyIn(String copySql, Reader data);

    /**
     * Runs {@code work} in a transaction and returns its result. Commits when the work returns, rolls back when it
     * throws: an unchecked exception reaches the caller unchanged, a checked one wrapped in a {@link PgdbmException}.
     * Called while a transaction is open on this thread and datasource, it nests in a SAVEPOINT instead.
     */
    <T> T inTransaction(TransactionWork<T> work);

    /** Like {@link #inTransaction(TransactionWork)}, opening the transaction with the given isolation and access mode. */
    <T> T inTransaction(TransactionOptions options, TransactionWork<T> work);

    /** Like {@link #inTransaction(TransactionWork)}, for work that returns nothing. */
    void useTransaction(TransactionAction action);

    /** Like {@link #useTransaction(TransactionAction)}, with the given isolation and access mode. */
    void useTransaction(TransactionOptions options, TransactionAction action);

    /** True while a transaction of this module's datasource is open on the calling thread. */
    boolean isInTransaction();

    /**
     * Runs {@code work} with a JDBC connection: the open transaction's when there is one, otherwise one taken from the
     * pool for the call. An escape hatch for what the facade does not offer (LISTEN/NOTIFY, driver APIs). SQL sent
     * through the raw connection is not templated, nor held to one statement; use {@link #render(String)}.
     */
    <T> T withConnection(ConnectionWork<T> work);

    /**
     * The SQL after template expansion, exactly as it would be sent. Not held to one statement: migrations render
     * whole files with it.
     */
    String render(String sql);

    /**
     * The planner's plan for a statement, as PostgreSQL's JSON ({@code EXPLAIN (FORMAT JSON)}); the statement is not
     * run.
     */
    String explain(String sql, Object... params);

    /**
     * The plan with what running it measured ({@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)}). The statement runs
     * for real, so it runs in a transaction (a savepoint inside an open one) that is rolled back: measuring an
     * {@code UPDATE} or {@code DELETE} never changes data.
     */
    String explainAnalyze(String sql, Object... params);
}
