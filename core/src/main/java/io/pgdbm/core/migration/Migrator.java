package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.TemplateException;
import io.pgdbm.core.Durations;
import io.pgdbm.core.Pgdbm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one module's pending migrations into its schema.
 *
 * <p>The whole run holds the module's advisory lock, keyed {@code hashtext('pgdbm_migration_' || module)} as pgdbm
 * (Python) keys it, on one dedicated connection, so deployers of the same module (threads, JVMs, a Python service)
 * apply each file once while other modules migrate in parallel. The wait for the lock has its own limit
 * ({@link MigrationOptions#lockWait()}); the connection's {@code statement_timeout} is the run's own
 * ({@link MigrationOptions#statementTimeout()}), not the pool's guardrail for application queries.
 *
 * <p>Each file runs in one transaction together with its history row, so a file that fails leaves nothing of itself and
 * no row, while the files before it stay applied. A file whose first line is {@code -- pgdbm:no-transaction} runs
 * statement by statement in auto-commit mode (for {@code CREATE INDEX CONCURRENTLY}).
 *
 * <p>The history table is pgdbm's {@code schema_migrations}, in the module's schema, with every identifier quoted.
 */
public final class Migrator {

    /** The history table's name, in each module's schema. */
    public static final String HISTORY_TABLE = "schema_migrations";

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private final DataSource dataSource;
    private final ModuleDatabase module;
    private final List<MigrationFile> files;
    private final MigrationOptions options;
    private final String history;

    /**
     * @param pgdbm the datasource to migrate
     * @param module the module: its name keys the lock and the history rows, its schema receives the tables, and its
     *     templates expand the files
     * @param files the module's files, as {@link MigrationFiles} resolves them
     */
    public Migrator(Pgdbm pgdbm, ModuleDatabase module, List<MigrationFile> files, MigrationOptions options) {
        this.dataSource = pgdbm.dataSource();
        this.module = Objects.requireNonNull(module, "module");
        this.files = List.copyOf(files);
        this.options = Objects.requireNonNull(options, "options");
        this.history = quote(module.schema()) + "." + quote(HISTORY_TABLE);
    }

    /**
     * Applies every pending file, in order.
     *
     * @throws MigrationException naming the module and file when a file fails (the files before it stay applied),
     *     when an applied file was changed, or when the lock is not had within the lock wait
     */
    public MigrationResult migrate() {
        long started = System.nanoTime();
        String name = module.name();
        return underLock(connection -> {
            set(connection, "statement_timeout", options.statementTimeout().toMillis());
            ensureSchema(connection);
            ensureHistoryTable(connection);
            List<MigrationStatus> statuses = MigrationPlan.compare(files, readHistory(connection));
            MigrationPlan.validate(name, statuses, options);
            List<MigrationResult.Applied> done = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (MigrationStatus status : statuses) {
                switch (status.state()) {
                    case PENDING, OUT_OF_ORDER -> done.add(apply(connection, status.file()));
                    case APPLIED -> skipped.add(status.filename());
                    case CHANGED -> {
                        LOG.warn("{} - {} changed after it was applied; going on because changed files are allowed",
                                name, status.filename());
                        skipped.add(status.filename());
                    }
                    case MISSING -> LOG.warn("{} - {} was applied but is missing; going on because missing files "
                            + "are allowed", name, status.filename());
                    default -> throw new IllegalStateException("unhandled state " + status.state());
                }
            }
            long total = (System.nanoTime() - started) / 1_000_000;
            if (!done.isEmpty()) {
                LOG.info("{} - applied {} migration(s) into schema {} in {}ms", name, done.size(), module.schema(),
                        total);
            }
            return new MigrationResult(name, module.schema(), done, skipped, total);
        });
    }

    /**
     * Where each file stands, without taking the lock and without creating anything (a module never migrated shows
     * every file pending).
     */
    public List<MigrationStatus> status() {
        try (Connection connection = dataSource.getConnection()) {
            return MigrationPlan.compare(files, historyTableExists(connection) ? readHistory(connection) : Map.of());
        } catch (SQLException e) {
            throw new MigrationException(module.name(), null, module.name() + " - reading the migration history "
                    + "failed: " + e.getMessage() + " [SQLState " + e.getSQLState() + "]", e);
        }
    }

    /**
     * The files a run would apply, in order, after the same checks a run makes; changes nothing (it does not even
     * create the schema or the history table).
     *
     * @throws MigrationException when a run would fail its checks
     */
    public List<String> dryRun() {
        List<MigrationStatus> statuses = status();
        MigrationPlan.validate(module.name(), statuses, options);
        return statuses.stream().filter(s -> s.state() == MigrationState.PENDING
                || s.state() == MigrationState.OUT_OF_ORDER).map(MigrationStatus::filename).toList();
    }

    /**
     * Accepts the current checksum of every applied file that has changed, so nobody edits history rows by hand.
     * Runs under the migration lock.
     *
     * @return the files whose recorded checksum was updated
     */
    public List<String> repair() {
        return underLock(connection -> {
            if (!historyTableExists(connection)) {
                return List.of();
            }
            List<String> repaired = new ArrayList<>();
            for (MigrationStatus status : MigrationPlan.compare(files, readHistory(connection))) {
                if (status.state() == MigrationState.CHANGED) {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE " + history
                            + " SET checksum = ? WHERE filename = ? AND (module_name = ? OR module_name IS NULL)")) {
                        update.setString(1, status.file().checksum());
                        update.setString(2, status.filename());
                        update.setString(3, module.name());
                        update.executeUpdate();
                    }
                    LOG.info("{} - repair: {} now recorded with checksum {}", module.name(), status.filename(),
                            status.file().checksum());
                    repaired.add(status.filename());
                }
            }
            return repaired;
        });
    }

    /** Runs work on a dedicated connection holding the module's migration lock, cleaning up quietly after. */
    private <T> T underLock(LockedWork<T> work) {
        String name = module.name();
        try (Connection connection = dataSource.getConnection()) {
            boolean manualCommit = !connection.getAutoCommit();
            if (manualCommit) {
                connection.setAutoCommit(true);
            }
            boolean locked = false;
            try {
                lock(connection);
                locked = true;
                return work.run(connection);
            } finally {
                // Never let clean-up mask the failure that brought us here: each step is quiet.
                if (locked) {
                    unlock(connection);
                }
                quietly(connection, "RESET statement_timeout");
                quietly(connection, "RESET lock_timeout");
                if (manualCommit) {
                    try {
                        connection.setAutoCommit(false);
                    } catch (SQLException e) {
                        LOG.warn("{} - restoring the connection's commit mode failed: {}", name, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new MigrationException(name, null, name + " - migration run failed: " + e.getMessage()
                    + " [SQLState " + e.getSQLState() + "]", e);
        }
    }

    @FunctionalInterface
    private interface LockedWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private void lock(Connection connection) throws SQLException {
        String name = module.name();
        // lock_timeout bounds the wait for the advisory lock; statement_timeout must not cut it shorter.
        set(connection, "statement_timeout", 0);
        set(connection, "lock_timeout", Math.max(1, options.lockWait().toMillis()));
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || ?))")) {
            lock.setString(1, name);
            lock.execute();
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
            throw new MigrationException(name, null, name + " - waited " + Durations.format(options.lockWait())
                    + " for the migration lock of module " + name + ", held by " + lockHolder(connection)
                    + ". Another deployer is migrating it; let it finish, or raise pgdbm.migrate.lock-wait", e);
        } finally {
            quietly(connection, "RESET lock_timeout");
        }
    }

    private String lockHolder(Connection connection) {
        String sql = "SELECT a.pid, a.application_name, a.client_addr, a.backend_start, a.state "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                + "AND l.objid::bigint = (hashtext('pgdbm_migration_' || ?)::bigint & 4294967295)";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, module.name());
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    return "backend " + row.getInt(1) + " (application '" + row.getString(2) + "', client "
                            + row.getString(3) + ", connected since " + row.getObject(4) + ", " + row.getString(5)
                            + ")";
                }
            }
        } catch (SQLException e) {
            LOG.debug("{} - could not look up the lock holder: {}", module.name(), e.getMessage());
        }
        return "another session";
    }

    private void unlock(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext('pgdbm_migration_' || ?))")) {
            unlock.setString(1, module.name());
            unlock.execute();
        } catch (SQLException e) {
            // The server releases a session lock when the connection ends; say so rather than fail the run.
            LOG.warn("{} - releasing the migration lock failed ({}); it is released when the connection closes",
                    module.name(), e.getMessage());
        }
    }

    /** Creates the schema only when it is missing, so a role without CREATE on the database can use an existing one. */
    private void ensureSchema(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            exists.setString(1, module.schema());
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE SCHEMA IF NOT EXISTS " + quote(module.schema()));
        }
    }

    private boolean historyTableExists(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, history);
            try (ResultSet row = exists.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** pgdbm (Python) 0.4's table, so a history it wrote is continued; every identifier quoted. */
    private void ensureHistoryTable(Connection connection) throws SQLException {
        if (historyTableExists(connection)) {
            return;
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + history + " ("
                    + "id SERIAL PRIMARY KEY, "
                    + "filename VARCHAR(255) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, "
                    + "module_name VARCHAR(100), "
                    + "applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                    + "applied_by VARCHAR(100) DEFAULT CURRENT_USER, "
                    + "execution_time_ms INTEGER, "
                    + "UNIQUE (filename, module_name))");
            create.execute("CREATE INDEX IF NOT EXISTS " + quote("idx_" + HISTORY_TABLE + "_module") + " ON "
                    + history + " (module_name, filename)");
        }
    }

    /** The history rows. Rows without a module (written by old pgdbm versions) count, as in pgdbm. */
    private Map<String, AppliedMigration> readHistory(Connection connection) throws SQLException {
        Map<String, AppliedMigration> applied = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT filename, checksum, applied_at, applied_by,"
                + " execution_time_ms FROM " + history + " WHERE module_name = ? OR module_name IS NULL ORDER BY id")) {
            query.setString(1, module.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int millis = rows.getInt(5);
                    Integer executionTime = rows.wasNull() ? null : millis;
                    applied.put(rows.getString(1), new AppliedMigration(rows.getString(1), rows.getString(2),
                            rows.getObject(3, LocalDateTime.class), rows.getString(4), executionTime));
                }
            }
        }
        return applied;
    }

    private MigrationResult.Applied apply(Connection connection, MigrationFile file) throws SQLException {
        String name = module.name();
        String sql;
        try {
            sql = module.render(file.text());
        } catch (TemplateException e) {
            throw new MigrationException(name, file.filename(), name + " - migration " + file.filename() + ": "
                    + e.getMessage(), e);
        }
        long started = System.nanoTime();
        if (file.transactional()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                } catch (SQLException e) {
                    quietlyRollBack(connection);
                    throw failed(file, e, null);
                }
                long millis = elapsedMillis(started);
                record(connection, file, millis);
                connection.commit();
                LOG.info("{} - applied {} in {}ms", name, file.filename(), millis);
                return new MigrationResult.Applied(file.filename(), millis);
            } catch (SQLException e) {
                quietlyRollBack(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        for (SqlSplitter.Statement part : SqlSplitter.split(sql)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(part.sql());
            } catch (SQLException e) {
                throw failed(file, e, part.line());
            }
        }
        long millis = elapsedMillis(started);
        record(connection, file, millis);
        LOG.info("{} - applied {} (no transaction) in {}ms", name, file.filename(), millis);
        return new MigrationResult.Applied(file.filename(), millis);
    }

    private MigrationException failed(MigrationFile file, SQLException e, Integer line) {
        String name = module.name();
        String serverMessage = e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getMessage() : e.getMessage();
        return new MigrationException(name, file.filename(), name + " - migration " + file.filename() + " failed"
                + (line != null ? " at the statement starting on line " + line : "") + ": " + serverMessage
                + " [SQLState " + e.getSQLState() + "]. "
                + (file.transactional() ? "Nothing of it was applied and it is not recorded"
                        : "It ran without a transaction: statements before the failing one stay applied, so make "
                                + "them idempotent (IF NOT EXISTS)")
                + "; files before it stay applied. Fix the file and run the migrations again", e);
    }

    private void record(Connection connection, MigrationFile file, long millis) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + history
                + " (filename, checksum, module_name, execution_time_ms) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, file.filename());
            insert.setString(2, file.checksum());
            insert.setString(3, module.name());
            insert.setInt(4, (int) Math.min(Integer.MAX_VALUE, millis));
            insert.executeUpdate();
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return Math.max(1, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static void set(Connection connection, String setting, long millis) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET " + setting + " = " + millis);
        }
    }

    private void quietly(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            LOG.warn("{} - {} failed: {}", module.name(), sql, e.getMessage());
        }
    }

    private void quietlyRollBack(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("{} - rolling back failed: {}", module.name(), e.getMessage());
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
