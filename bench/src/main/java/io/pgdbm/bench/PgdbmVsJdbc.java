package io.pgdbm.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Pairs of benchmarks, {@code <operation>_pgdbm} and {@code <operation>_raw}, doing the same work on the same
 * HikariCP pool: once through {@link ModuleDatabase}, once with pgjdbc written by hand the way a careful developer
 * would (prepare, bind, execute, map by column index, close). Both sides send the same SQL text: the setup checks
 * that each templated statement renders to exactly the raw one.
 *
 * <p>Single-threaded on purpose: on a small machine the server needs the other core, and what is measured is the
 * client-side cost each call adds to the round trip. {@link InterleavedPair} drives the same methods on one instance
 * of this state, alternating the two sides; {@code java -jar benchmarks.jar} runs them as plain JMH benchmarks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PgdbmVsJdbc implements PairState {

    static final String SCHEMA = "pgdbm_bench";
    static final int ACCOUNTS = 10_000;
    static final int BULK_ROWS = 10_000;
    private static final int BATCH_CHUNK = 1_000;
    private static final List<String> BULK_COLUMNS = List.of("email", "display_name", "balance", "created_at");
    private static final OffsetDateTime EPOCH = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final int COPY_FLUSH_AT = 64 * 1024;

    static final String SELECT_PGDBM =
            "SELECT id, email, display_name, balance, created_at FROM {{tables.accounts}} WHERE id = ?";
    static final String SELECT_RAW =
            "SELECT id, email, display_name, balance, created_at FROM \"pgdbm_bench\".\"accounts\" WHERE id = ?";

    static final String INSERT_PGDBM = "INSERT INTO {{tables.inserted}} (email, balance) VALUES (?, ?) RETURNING id";
    static final String INSERT_RAW =
            "INSERT INTO \"pgdbm_bench\".\"inserted\" (email, balance) VALUES (?, ?) RETURNING id";

    static final String BATCH_PGDBM = "INSERT INTO {{tables.batch_target}} (email, display_name, balance, created_at)"
            + " VALUES (?, ?, ?, ?)";
    static final String BATCH_RAW = "INSERT INTO \"pgdbm_bench\".\"batch_target\" (email, display_name, balance,"
            + " created_at) VALUES (?, ?, ?, ?)";

    static final String COPY_RAW = "COPY \"pgdbm_bench\".\"copy_target\" (\"email\", \"display_name\", \"balance\","
            + " \"created_at\") FROM STDIN";

    static final String BUMP_PGDBM = "UPDATE {{tables.counters}} SET n = n + 1 WHERE id = ?";
    static final String BUMP_RAW = "UPDATE \"pgdbm_bench\".\"counters\" SET n = n + 1 WHERE id = ?";
    static final String EVENT_PGDBM = "INSERT INTO {{tables.events}} (counter_id, kind) VALUES (?, ?)";
    static final String EVENT_RAW = "INSERT INTO \"pgdbm_bench\".\"events\" (counter_id, kind) VALUES (?, ?)";

    private BenchServer server;
    private HikariDataSource pool;
    private ModuleDatabase db;

    /** Ids to look up: the same pseudo-random sequence for both sides of the pair. */
    private long[] ids;
    private int next;
    private int balance;
    /** The 10,000 rows both bulk pairs load, built once so neither side pays for making them. */
    private List<Object[]> bulkRows;

    @Setup(Level.Trial)
    @Override
    public void startTrial() throws SQLException {
        server = BenchServer.startOrConnect();
        pool = openPool(server);
        createTables(pool);
        db = Pgdbm.wrap(pool).module("bench", SCHEMA);
        checkSameSql(SELECT_PGDBM, SELECT_RAW);
        checkSameSql(INSERT_PGDBM, INSERT_RAW);
        checkSameSql(BATCH_PGDBM, BATCH_RAW);
        checkSameSql(BUMP_PGDBM, BUMP_RAW);
        checkSameSql(EVENT_PGDBM, EVENT_RAW);

        ids = accountIds();
        bulkRows = new ArrayList<>(BULK_ROWS);
        for (int i = 0; i < BULK_ROWS; i++) {
            bulkRows.add(new Object[] {"bulk" + i + "@example.com", "Bulk User " + i, i % 5000, EPOCH.plusSeconds(i)});
        }
        checkSameAccount();
    }

    @Setup(Level.Iteration)
    @Override
    public void emptyTargets() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + SCHEMA + ".inserted, " + SCHEMA + ".batch_target, " + SCHEMA
                    + ".copy_target, " + SCHEMA + ".events");
            statement.execute("VACUUM " + SCHEMA + ".counters");
        }
    }

    @TearDown(Level.Trial)
    @Override
    public void stopTrial() {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public InterleavedPair.Side side(String benchmark) {
        return switch (benchmark) {
            case "pointSelect_pgdbm" -> this::pointSelect_pgdbm;
            case "pointSelect_raw" -> this::pointSelect_raw;
            case "insertReturningId_pgdbm" -> this::insertReturningId_pgdbm;
            case "insertReturningId_raw" -> this::insertReturningId_raw;
            case "batch10k_pgdbm" -> this::batch10k_pgdbm;
            case "batch10k_raw" -> this::batch10k_raw;
            case "copy10k_pgdbm" -> this::copy10k_pgdbm;
            case "copy10k_raw" -> this::copy10k_raw;
            case "transactionWithSavepoint_pgdbm" -> () -> {
                transactionWithSavepoint_pgdbm();
                return Boolean.TRUE;
            };
            case "transactionWithSavepoint_raw" -> () -> {
                transactionWithSavepoint_raw();
                return Boolean.TRUE;
            };
            default -> throw new IllegalArgumentException("No benchmark " + benchmark + " in "
                    + PgdbmVsJdbc.class.getSimpleName());
        };
    }

    // ---- point select mapped to a record ----------------------------------------------------------------------

    @Benchmark
    public Account pointSelect_pgdbm() {
        return db.fetchOne(SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    @Benchmark
    public Account pointSelect_raw() throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_RAW)) {
            statement.setLong(1, nextId());
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("no account");
                }
                return new Account(result.getLong(1), result.getString(2), result.getString(3), result.getInt(4),
                        result.getObject(5, OffsetDateTime.class));
            }
        }
    }

    // ---- insert returning the generated id --------------------------------------------------------------------

    @Benchmark
    public Long insertReturningId_pgdbm() {
        return db.fetchValue(INSERT_PGDBM, Long.class, "new@example.com", nextBalance());
    }

    @Benchmark
    public long insertReturningId_raw() throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT_RAW)) {
            statement.setString(1, "new@example.com");
            statement.setInt(2, nextBalance());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    // ---- 10,000 rows by JDBC batch ----------------------------------------------------------------------------

    @Benchmark
    public int[] batch10k_pgdbm() {
        return db.executeBatch(BATCH_PGDBM, bulkRows);
    }

    @Benchmark
    public int[] batch10k_raw() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(BATCH_RAW)) {
                int[] counts = new int[bulkRows.size()];
                int done = 0;
                int pending = 0;
                for (Object[] row : bulkRows) {
                    statement.setString(1, (String) row[0]);
                    statement.setString(2, (String) row[1]);
                    statement.setInt(3, (Integer) row[2]);
                    statement.setObject(4, row[3]);
                    statement.addBatch();
                    // The usual idiom: send every 1,000 rows rather than hold 10,000 parameter sets in the driver.
                    if (++pending == BATCH_CHUNK) {
                        done = append(counts, done, statement.executeBatch());
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    append(counts, done, statement.executeBatch());
                }
                connection.commit();
                return counts;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static int append(int[] counts, int done, int[] chunk) {
        System.arraycopy(chunk, 0, counts, done, chunk.length);
        return done + chunk.length;
    }

    // ---- 10,000 rows by COPY ----------------------------------------------------------------------------------

    @Benchmark
    public long copy10k_pgdbm() {
        return db.copyIn("copy_target", BULK_COLUMNS, bulkRows);
    }

    @Benchmark
    public long copy10k_raw() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RAW);
            try {
                StringBuilder buffer = new StringBuilder(COPY_FLUSH_AT + 1024);
                for (Object[] row : bulkRows) {
                    appendCopyText(buffer, (String) row[0]).append('\t');
                    appendCopyText(buffer, (String) row[1]).append('\t');
                    buffer.append((int) (Integer) row[2]).append('\t');
                    buffer.append(row[3]).append('\n');
                    if (buffer.length() >= COPY_FLUSH_AT) {
                        flushCopy(copy, buffer);
                    }
                }
                flushCopy(copy, buffer);
                return copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
    }

    /** COPY's text format: backslash, tab, newline and carriage return are escaped with a backslash. */
    private static StringBuilder appendCopyText(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private static void flushCopy(CopyIn copy, StringBuilder buffer) throws SQLException {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    // ---- a transaction with one savepoint ---------------------------------------------------------------------

    @Benchmark
    public void transactionWithSavepoint_pgdbm() {
        db.useTransaction(tx -> {
            tx.execute(BUMP_PGDBM, 1L);
            tx.useTransaction(nested -> nested.execute(EVENT_PGDBM, 1L, "bump"));
        });
    }

    @Benchmark
    public void transactionWithSavepoint_raw() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement bump = connection.prepareStatement(BUMP_RAW)) {
                    bump.setLong(1, 1L);
                    bump.executeUpdate();
                }
                Savepoint savepoint = connection.setSavepoint();
                try (PreparedStatement event = connection.prepareStatement(EVENT_RAW)) {
                    event.setLong(1, 1L);
                    event.setString(2, "bump");
                    event.executeUpdate();
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback(savepoint);
                    throw e;
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    // ---- set-up -----------------------------------------------------------------------------------------------

    private long nextId() {
        return ids[next++ & (ids.length - 1)];
    }

    private int nextBalance() {
        return balance++ & 0xffff;
    }

    /**
     * The pool both sides share: two connections, opened at once. Both sides batch the same way: pgjdbc rewrites a
     * batch of single-row INSERTs into multi-row ones.
     */
    static HikariDataSource openPool(BenchServer server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench");
        config.setJdbcUrl(server.url());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(2);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    /** Ids to look up: the same fixed-seed pseudo-random sequence for every side and every run. */
    static long[] accountIds() {
        SplittableRandom random = new SplittableRandom(20_240_101L);
        long[] ids = new long[1 << 16];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + random.nextInt(ACCOUNTS);
        }
        return ids;
    }

    /** Drops and recreates the schema: {@value #ACCOUNTS} accounts, and the empty targets of the writing pairs. */
    static void createTables(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("CREATE TABLE " + SCHEMA + ".accounts (id bigint PRIMARY KEY, email text NOT NULL,"
                    + " display_name text NOT NULL, balance integer NOT NULL, created_at timestamptz NOT NULL)");
            statement.execute("INSERT INTO " + SCHEMA + ".accounts SELECT i, 'user' || i || '@example.com',"
                    + " 'User ' || i, (i * 37) % 10000, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute'"
                    + " FROM generate_series(1, " + ACCOUNTS + ") AS i");
            statement.execute("CREATE TABLE " + SCHEMA + ".inserted (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY"
                    + " KEY, email text NOT NULL, balance integer NOT NULL, created_at timestamptz NOT NULL DEFAULT"
                    + " now())");
            for (String table : List.of("batch_target", "copy_target")) {
                statement.execute("CREATE TABLE " + SCHEMA + "." + table + " (id bigint GENERATED ALWAYS AS IDENTITY"
                        + " PRIMARY KEY, email text NOT NULL, display_name text NOT NULL, balance integer NOT NULL,"
                        + " created_at timestamptz NOT NULL)");
            }
            statement.execute("CREATE TABLE " + SCHEMA + ".counters (id bigint PRIMARY KEY, n bigint NOT NULL)");
            statement.execute("INSERT INTO " + SCHEMA + ".counters VALUES (1, 0)");
            statement.execute("CREATE TABLE " + SCHEMA + ".events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " counter_id bigint NOT NULL, kind text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("VACUUM ANALYZE " + SCHEMA + ".accounts");
        }
    }

    private void checkSameSql(String templated, String raw) {
        String rendered = db.render(templated);
        if (!rendered.equals(raw)) {
            throw new IllegalStateException("The pair would not send the same SQL:\n  pgdbm: " + rendered
                    + "\n  raw:   " + raw);
        }
    }

    private void checkSameAccount() throws SQLException {
        Account viaPgdbm = db.fetchOne(SELECT_PGDBM, Account.class, 4242L).orElseThrow();
        Account viaRaw;
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_RAW)) {
            statement.setLong(1, 4242L);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                viaRaw = new Account(result.getLong(1), result.getString(2), result.getString(3), result.getInt(4),
                        result.getObject(5, OffsetDateTime.class));
            }
        }
        if (!viaPgdbm.equals(viaRaw)) {
            throw new IllegalStateException("The pair maps differently: pgdbm " + viaPgdbm + ", raw " + viaRaw);
        }
    }
}
