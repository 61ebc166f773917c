package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.TemplateException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.internal.EngineAccess;
import io.pgdbm.core.internal.engine.Engine;
import io.pgdbm.core.internal.engine.TransactionHandler;
import io.pgdbm.core.internal.pool.MigrationDataSource;
import io.pgdbm.core.internal.sql.SqlSplitter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one module's pending migrations into its schema.
 *
 * <p>The whole run holds the module's advisory lock, keyed {@code hashtext('pgdbm_migration_' || module)} as pgdbm
 * (Python) keys it, on one dedicated connection, so deployers of the same module (threads, JVMs, a Python service)
 * apply each file once while other modules migrate in parallel. The wait for the lock has its own limit
 * ({@link MigrationOptions#lockWait()}); the connection's {@code statement_timeout} is the run's own
 * ({@link MigrationOptions#statementTimeout()}), not the pool's guardrail for application queries. On PostgreSQL 14+
 * that connection also checks every second that its client is still there ({@code client_connection_check_interval},
 * put back afterwards), so a deployer killed in the middle of a long statement frees the lock within about a second,
 * its file rolled back and not recorded; a deployer that gives up waiting names the holder, and how to end it when it
 * looks stuck.
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

    /** Statements that end (or start) the transaction a file runs in; ROLLBACK TO a savepoint does not. */
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
            "(BEGIN|COMMIT|END|ABORT|ROLLBACK|START\\s+TRANSACTION)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK_TO_SAVEPOINT = Pattern.compile(
            "ROLLBACK(\\s+(WORK|TRANSACTION))?\\s+TO\\b", Pattern.CASE_INSENSITIVE);

    private final DataSource dataSource;
    private final Engine engine;
    private final ModuleDatabase module;
    private final List<MigrationFile> files;
    private final MigrationOptions options;
    private final HistoryTable history;
    private final MigrationLock lock;

    /**
     * @param pgdbm the datasource to migrate
     * @param module the module: its name keys the lock and the history rows, its schema receives the tables, and its
     *     templates expand the files
     * @param files the module's files, as {@link MigrationFiles} resolves them
     */
    public Migrator(Pgdbm pgdbm, ModuleDatabase module, List<MigrationFile> files, MigrationOptions options) {
        this.dataSource = pgdbm.dataSource();
        this.engine = EngineAccess.engine(pgdbm);
        this.module = Objects.requireNonNull(module, "module");
        this.files = List.copyOf(files);
        this.options = Objects.requireNonNull(options, "options");
        this.history = new HistoryTable(module.schema(), module.name());
        // The lock's connection gets the run's own socket timeout, not the pool's (which would cut long files short).
        this.lock = new MigrationLock(MigrationDataSource.of(dataSource, engine.ownsPool(), options.statementTimeout(),
                options.lockWait()), module.name(), options);
    }

    /**
     * Applies every pending file, in order.
     *
     * @throws MigrationException naming the module and file when a file fails (the files before it stay applied),
     *     when an applied file was changed, or when the lock is not had within the lock wait
     */
    public MigrationResult migrate() {
        refuseInsideContainerTransaction("migrate");
        long started = System.nanoTime();
        String name = module.name();
        MigrationResult upToDate = upToDateWithoutLock(started);
        if (upToDate != null) {
            return upToDate;
        }
        return lock.run(connection -> {
            MigrationLock.set(connection, "statement_timeout", options.statementTimeout().toMillis());
            history.ensureSchema(connection);
            boolean withStatements = history.ensureExists(connection);
            List<MigrationStatus> statuses = MigrationPlan.compare(files, history.read(connection));
            MigrationPlan.validate(name, statuses, options);
            if (withStatements) {
                history.fillStatementsChecksums(connection, statuses.stream()
                        .filter(s -> s.state() == MigrationState.APPLIED && s.applied().statementsChecksum() == null)
                        .map(MigrationStatus::file).toList());
            }
            List<MigrationResult.Applied> done = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (MigrationStatus status : statuses) {
                switch (status.state()) {
                    case PENDING, OUT_OF_ORDER -> done.add(apply(connection, status.file(), withStatements));
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
     * The check every boot makes, answered from one read when it can be: if the history records every file, each with
     * its checksum, and nothing else, there is nothing to apply and nothing the options could object to, so no lock,
     * no session settings and no DDL checks are needed. Safe without the lock because a history row is committed with
     * the work it records. Anything else (no history table yet, a pending, changed or missing file) returns
     * {@code null}, and the locked run decides. One round trip: on a machine whose network is idle, each costs more
     * than everything else the check does.
     */
    private MigrationResult upToDateWithoutLock(long started) {
        String name = module.name();
        try (Connection connection = dataSource.getConnection()) {
            Map<String, String> recorded = history.checksumsIfExists(connection);
            if (recorded == null || recorded.size() != files.size()) {
                return null;
            }
            List<String> skipped = new ArrayList<>(files.size());
            for (MigrationFile file : files) {
                if (!file.checksum().equals(recorded.get(file.filename()))) {
                    return null;
                }
                skipped.add(file.filename());
            }
            return new MigrationResult(name, module.schema(), List.of(), skipped,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw new MigrationException(name, null, name + " - reading the migration history failed: "
                    + e.getMessage() + " [SQLState " + e.getSQLState() + "]", e);
        }
    }

    /**
     * Where each file stands, without taking the lock and without creating anything (a module never migrated shows
     * every file pending).
     */
    public List<MigrationStatus> status() {
        try (Connection connection = dataSource.getConnection()) {
            return MigrationPlan.compare(files, history.exists(connection) ? history.read(connection) : Map.of());
        } catch (SQLException e) {
            throw new MigrationException(module.name(), null, module.name() + " - reading the migration history "
                    + "failed: " + e.getMessage() + " [SQLState " + e.getSQLState() + "]", e);
        }
    }

    /**
     * Where each file stands, after the checks a run makes; takes no lock and creates nothing.
     *
     * @return every file's status, in version order
     * @throws MigrationException listing every problem a run would refuse ({@link MigrationException#problems()}):
     *     changed, missing or out-of-order files the options do not allow, pending files without a statement
     */
    public List<MigrationStatus> validate() {
        List<MigrationStatus> statuses = status();
        MigrationPlan.validate(module.name(), statuses, options);
        return statuses;
    }

    /**
     * Where each file stands and every problem a run would refuse, without throwing for them; takes no lock and creates
     * nothing.
     */
    public ValidationResult validateWithResult() {
        List<MigrationStatus> statuses = status();
        return new ValidationResult(module.name(), statuses, MigrationPlan.problems(statuses, options));
    }

    /**
     * The files a run would apply, in order, after the same checks a run makes; changes nothing (it does not even
     * create the schema or the history table).
     *
     * @throws MigrationException when a run would fail its checks
     */
    public List<String> dryRun() {
        return validate().stream().filter(s -> s.state() == MigrationState.PENDING
                || s.state() == MigrationState.OUT_OF_ORDER).map(MigrationStatus::filename).toList();
    }

    /**
     * {@link #repair(RepairPolicy)} of the files known to have changed only in comments or whitespace.
     */
    public RepairResult repair() {
        return repair(RepairPolicy.COMMENTS_AND_WHITESPACE);
    }

    /**
     * Records the current checksum of applied files that have changed since, as far as {@code policy} accepts, so that
     * nobody edits history rows by hand. Nothing runs: a file whose statements changed keeps in the database what its
     * old statements did (to change the schema, write a new migration). Runs under the migration lock.
     *
     * @return the files recorded, and the changed files the policy refused (the next run still refuses them)
     */
    public RepairResult repair(RepairPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        refuseInsideContainerTransaction("repair");
        return lock.run(connection -> {
            List<RepairResult.ChangedFile> recorded = new ArrayList<>();
            List<RepairResult.ChangedFile> refused = new ArrayList<>();
            if (!history.exists(connection)) {
                return new RepairResult(module.name(), recorded, refused);
            }
            boolean withStatements = history.ensureExists(connection);
            for (MigrationStatus status : MigrationPlan.compare(files, history.read(connection))) {
                if (status.state() != MigrationState.CHANGED) {
                    continue;
                }
                MigrationChange change = status.change().orElseThrow();
                RepairResult.ChangedFile changed = new RepairResult.ChangedFile(status.filename(), change,
                        status.applied().checksum(), status.file().checksum());
                if (!policy.accepts(change)) {
                    refused.add(changed);
                    continue;
                }
                history.updateChecksum(connection, status.file(), withStatements);
                LOG.info("{} - repair: {} now recorded with checksum {} ({}; its new content was not applied)",
                        module.name(), status.filename(), status.file().checksum(), change.description());
                recorded.add(changed);
            }
            return new RepairResult(module.name(), recorded, refused);
        });
    }

    /**
     * A run takes a connection of its own and commits each file: inside a container transaction (JTA) it would commit
     * the container's work, or be refused by the container's connection half-way.
     */
    private void refuseInsideContainerTransaction(String operation) {
        if (!engine.handler().isLocal()) {
            String name = module.name();
            throw new MigrationException(name, null, name + " - " + operation + " cannot run inside a container "
                    + "transaction (@Transactional, UserTransaction or an EJB method): each migration file commits on "
                    + "its own. Call it outside one (at start-up, as the extension does, or from a method marked "
                    + "@Transactional(TxType.NOT_SUPPORTED))");
        }
    }

    private MigrationResult.Applied apply(Connection connection, MigrationFile file, boolean withStatements)
            throws SQLException {
        String name = module.name();
        String sql;
        try {
            sql = module.render(file.text());
        } catch (TemplateException e) {
            throw new MigrationException(name, file.filename(), name + " - migration " + file.filename() + ": "
                    + e.getMessage(), e);
        }
        List<SqlSplitter.Statement> statements = SqlSplitter.split(sql);
        long started = System.nanoTime();
        if (!file.transactional()) {
            execute(connection, file, statements);
            long millis = elapsedMillis(started);
            try {
                history.record(connection, file, millis, withStatements);
            } catch (SQLException e) {
                throw new MigrationException(name, file.filename(), name + " - migration " + file.filename()
                        + " ran (without a transaction) but its history row could not be written: " + e.getMessage()
                        + " [SQLState " + e.getSQLState() + "]. Its statements stay applied; make them idempotent (IF "
                        + "NOT EXISTS) and run the migrations again, which runs the file again", e);
            }
            engine.migrationApplied(name, file.filename(), millis);
            LOG.info("{} - applied {} (no transaction) in {}ms", name, file.filename(), millis);
            return new MigrationResult.Applied(file.filename(), millis);
        }
        refuseTransactionControl(file, statements);
        TransactionHandler.Unit unit = TransactionHandler.LOCAL.begin(name, connection, TransactionOptions.defaults());
        try {
            execute(connection, file, statements);
            long millis = elapsedMillis(started);
            try {
                history.record(connection, file, millis, withStatements);
            } catch (SQLException e) {
                throw failedAfterItsStatements(file, "recording it in the history", e);
            }
            try {
                unit.commit();
            } catch (SQLException e) {
                throw failedAfterItsStatements(file, "committing", e);
            }
            engine.migrationApplied(name, file.filename(), millis);
            LOG.info("{} - applied {} in {}ms", name, file.filename(), millis);
            return new MigrationResult.Applied(file.filename(), millis);
        } catch (SQLException e) {
            // Not from the file's statements (those are named by execute): the connection itself failed.
            unit.rollback(e);
            throw failedAfterItsStatements(file, "running", e);
        } catch (RuntimeException e) {
            unit.rollback(e);
            throw e;
        } finally {
            // Quiet: a broken connection must not replace the error that names the file.
            unit.end();
        }
    }

    /** A transactional file that failed outside its own statements (history row, commit, connection): rolled back. */
    private MigrationException failedAfterItsStatements(MigrationFile file, String step, SQLException e) {
        String name = module.name();
        return new MigrationException(name, file.filename(), name + " - migration " + file.filename() + " failed when "
                + step + ": " + e.getMessage() + " [SQLState " + e.getSQLState() + "]. Nothing of it was applied and "
                + "it is not recorded; files before it stay applied. Fix the cause and run the migrations again", e);
    }

    /**
     * Runs the statements one by one, so that a failure names its line. The text reaches the server as written: no
     * JDBC escape processing.
     */
    private void execute(Connection connection, MigrationFile file, List<SqlSplitter.Statement> statements)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            for (SqlSplitter.Statement part : statements) {
                long started = System.nanoTime();
                try {
                    statement.execute(part.sql());
                } catch (SQLException e) {
                    engine.observe(module.name(), part.sql(), null, started, -1, e.getSQLState());
                    throw failed(file, e, part);
                }
                engine.observe(module.name(), part.sql(), null, started, statement.getUpdateCount(), null);
            }
        }
    }

    /**
     * A file that runs in pgdbm's transaction must not end it, or its history row would be written apart from the work
     * it records.
     */
    private void refuseTransactionControl(MigrationFile file, List<SqlSplitter.Statement> statements) {
        for (SqlSplitter.Statement statement : statements) {
            if (TRANSACTION_CONTROL.matcher(statement.code()).lookingAt()
                    && !ROLLBACK_TO_SAVEPOINT.matcher(statement.code()).lookingAt()) {
                String name = module.name();
                throw new MigrationException(name, file.filename(), statement.line(), name + " - migration "
                        + file.filename() + " line " + statement.line() + ": " + statement.keyword() + " ends or starts a transaction, "
                        + "but pgdbm runs each file in one transaction together with its history row. Remove the "
                        + "statement, or make the file's first line " + MigrationFile.NO_TRANSACTION_MARKER
                        + " to run it statement by statement without one. Nothing of the file was applied", null);
            }
        }
    }

    private MigrationException failed(MigrationFile file, SQLException e, SqlSplitter.Statement statement) {
        String name = module.name();
        ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        String serverMessage = server != null ? server.getMessage() : e.getMessage();
        int position = server != null ? server.getPosition() : 0;
        int line = position > 0 ? statement.lineOf(position) : statement.line();
        String where = position > 0 ? " at line " + line : " in the statement starting on line " + line;
        String hint = "25001".equals(e.getSQLState()) && file.transactional()
                ? " That statement cannot run inside a transaction: make the file's first line "
                        + MigrationFile.NO_TRANSACTION_MARKER + "."
                : "";
        return new MigrationException(name, file.filename(), line, name + " - migration " + file.filename()
                + " failed" + where + ": " + serverMessage + " [SQLState " + e.getSQLState() + "]." + hint + " "
                + (file.transactional() ? "Nothing of it was applied and it is not recorded"
                        : "It ran without a transaction: statements before the failing one stay applied, so make "
                                + "them idempotent (IF NOT EXISTS)")
                + "; files before it stay applied. Fix the file and run the migrations again", e);
    }

    private static long elapsedMillis(long startedNanos) {
        return Math.max(1, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
