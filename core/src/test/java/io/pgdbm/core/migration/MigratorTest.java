package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.Row;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresDatabaseExtension.class)
class MigratorTest {

    private static Pgdbm pgdbm;
    private static TestDatabase database;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestDatabase testDatabase) {
        database = testDatabase;
        // The pool's guardrails are short on purpose: migrations must not be bound by them.
        pgdbm = Pgdbm.create(testDatabase.configBuilder().poolMaxSize(4).poolMinIdle(0)
                .lockTimeout(Duration.ofMillis(300)).statementTimeout(Duration.ofMillis(800)).build());
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static MigrationResult migrate(ModuleDatabase module, List<MigrationFile> files) {
        return new Migrator(pgdbm, module, files, MigrationOptions.defaults()).migrate();
    }

    @Test
    void appliesPendingFilesInOrderAndRecordsPgdbmCompatibleHistory() {
        ModuleDatabase users = pgdbm.module("users");
        List<MigrationFile> files = MigrationFiles.fromClasspath("users", "migrations/users",
                getClass().getClassLoader());

        MigrationResult first = migrate(users, files);
        MigrationResult second = migrate(users, files);

        assertThat(first.applied()).extracting(MigrationResult.Applied::filename)
                .containsExactly("001_create_accounts.sql", "V2__add_email.sql", "010_index_email.sql");
        assertThat(second.upToDate()).isTrue();
        assertThat(second.skipped()).hasSize(3);
        assertThat(users.execute("INSERT INTO {{tables.accounts}} (id, email) VALUES (1, 'a@example.com')"))
                .isEqualTo(1);
        List<Row> history = users.fetchAll("SELECT filename, checksum, module_name, applied_by, execution_time_ms, "
                + "applied_at FROM {{tables.schema_migrations}} ORDER BY id");
        assertThat(history).extracting(row -> row.getString("filename"))
                .containsExactly("001_create_accounts.sql", "V2__add_email.sql", "010_index_email.sql");
        assertThat(history).extracting(row -> row.getString("checksum"))
                .containsExactlyElementsOf(files.stream().map(MigrationFile::checksum).toList());
        assertThat(history).allSatisfy(row -> {
            assertThat(row.getString("module_name")).isEqualTo("users");
            assertThat(row.getString("applied_by")).isEqualTo(database.username());
            assertThat(row.getInt("execution_time_ms")).isPositive();
            assertThat(row.getLocalDateTime("applied_at")).isNotNull();
        });
    }

    @Test
    void failingFileLeavesNothingOfItselfAndKeepsTheFilesBeforeIt() throws IOException {
        ModuleDatabase shop = pgdbm.module("shop");
        write("1_items.sql", "CREATE TABLE {{tables.items}} (id int);");
        write("2_prices.sql", "CREATE TABLE {{tables.prices}} (id int);");
        write("3_broken.sql", "CREATE TABLE {{tables.half_done}} (id int);\nCREATE TABEL {{tables.typo}} (id int);");
        write("4_after.sql", "CREATE TABLE {{tables.after}} (id int);");

        assertThatThrownBy(() -> migrate(shop, MigrationFiles.fromDirectory("shop", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("shop - migration 3_broken.sql failed at line 2: syntax error at or near "
                        + "\"TABEL\" [SQLState 42601]")
                .hasMessageContaining("Nothing of it was applied and it is not recorded; files before it stay "
                        + "applied")
                .satisfies(e -> assertThat(((MigrationException) e).file()).isEqualTo("3_broken.sql"))
                .satisfies(e -> assertThat(((MigrationException) e).line()).isEqualTo(2))
                .satisfies(e -> assertThat(((MigrationException) e).getSqlState()).isEqualTo("42601"));
        assertThat(shop.fetchAll("SELECT filename FROM {{tables.schema_migrations}} ORDER BY id", String.class))
                .containsExactly("1_items.sql", "2_prices.sql");
        assertThat(shop.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class, shop.render("{{tables.half_done}}")))
                .isTrue();
        assertThat(shop.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class, shop.render("{{tables.after}}")))
                .isTrue();

        write("3_broken.sql", "CREATE TABLE {{tables.half_done}} (id int);\nCREATE TABLE {{tables.typo}} (id int);");
        MigrationResult rerun = migrate(shop, MigrationFiles.fromDirectory("shop", dir));

        assertThat(rerun.applied()).extracting(MigrationResult.Applied::filename)
                .containsExactly("3_broken.sql", "4_after.sql");
    }

    @Test
    void fileWhoseConnectionDiesIsStillNamedAndLeavesTheLockFree() throws IOException {
        ModuleDatabase fragile = pgdbm.module("fragile");
        write("1_first.sql", "CREATE TABLE {{tables.first}} (id int);");
        write("2_dies.sql", "CREATE TABLE {{tables.doomed}} (id int);\nSELECT pg_terminate_backend(pg_backend_pid());");

        // The broken connection fails the rollback and the restoring of auto-commit too; neither may replace the
        // error that names the file.
        assertThatThrownBy(() -> migrate(fragile, MigrationFiles.fromDirectory("fragile", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("fragile - migration 2_dies.sql failed")
                .satisfies(e -> assertThat(((MigrationException) e).file()).isEqualTo("2_dies.sql"));
        assertThat(lockIsFree("fragile")).isTrue();
        assertThat(fragile.fetchAll("SELECT filename FROM {{tables.schema_migrations}}", String.class))
                .containsExactly("1_first.sql");

        write("2_dies.sql", "CREATE TABLE {{tables.doomed}} (id int);");
        assertThat(migrate(fragile, MigrationFiles.fromDirectory("fragile", dir)).applied())
                .extracting(MigrationResult.Applied::filename).containsExactly("2_dies.sql");
    }

    @Test
    void failureAtCommitNamesTheFileAndLeavesNothingOfIt() throws IOException {
        ModuleDatabase deferred = pgdbm.module("deferred");
        write("1_parents.sql", "CREATE TABLE {{tables.parents}} (id int PRIMARY KEY);");
        // The foreign key is checked at COMMIT, after the file's statements and its history row went through.
        write("2_orphans.sql", "CREATE TABLE {{tables.children}} (parent int REFERENCES {{tables.parents}} "
                + "DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO {{tables.children}} VALUES (42);");

        assertThatThrownBy(() -> migrate(deferred, MigrationFiles.fromDirectory("deferred", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("deferred - migration 2_orphans.sql failed when committing:")
                .hasMessageContaining("[SQLState 23503]. Nothing of it was applied and it is not recorded")
                .satisfies(e -> assertThat(((MigrationException) e).file()).isEqualTo("2_orphans.sql"));
        assertThat(deferred.fetchAll("SELECT filename FROM {{tables.schema_migrations}}", String.class))
                .containsExactly("1_parents.sql");
        assertThat(deferred.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class,
                deferred.render("{{tables.children}}"))).isTrue();
        assertThat(lockIsFree("deferred")).isTrue();
    }

    @Test
    void noTransactionFileThatLeavesATransactionOpenDoesNotKeepTheLock() throws IOException {
        ModuleDatabase careless = pgdbm.module("careless");
        write("1_open.sql", "-- pgdbm:no-transaction\nBEGIN;\nCREATE TABLE {{tables.t}} (id int);\n"
                + "SELECT 1 / 0;\n");

        assertThatThrownBy(() -> migrate(careless, MigrationFiles.fromDirectory("careless", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("careless - migration 1_open.sql failed in the statement starting on line 4: division by zero");

        // The session's own BEGIN was rolled back, so the lock could be released and the connection pooled clean.
        assertThat(lockIsFree("careless")).isTrue();
        assertThat(careless.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class,
                careless.render("{{tables.t}}"))).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(careless.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND state LIKE 'idle in transaction%'", Long.class)).isZero();
        }
    }

    /** Whether another session could take the module's migration lock right now (and gives it straight back). */
    private static boolean lockIsFree(String module) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_try_advisory_lock(hashtext('pgdbm_migration_' || ?))")) {
            lock.setString(1, module);
            try (java.sql.ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noTransactionFileRunsStatementByStatementSoConcurrentIndexesWork() throws IOException {
        ModuleDatabase search = pgdbm.module("search");
        write("1_docs.sql", "CREATE TABLE {{tables.docs}} (id int, body text);");
        write("2_index.sql", "-- pgdbm:no-transaction\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS docs_body ON {{tables.docs}} (body);\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS docs_id ON {{tables.docs}} (id);\n");

        migrate(search, MigrationFiles.fromDirectory("search", dir));

        assertThat(search.fetchAll("SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = 'docs' "
                + "ORDER BY 1", String.class, "search")).containsExactly("docs_body", "docs_id");
    }

    @Test
    void waitsForAnotherDeployersLockLongerThanTheSessionLockTimeout() throws Exception {
        ModuleDatabase ledger = pgdbm.module("ledger");
        write("1_entries.sql", "CREATE TABLE {{tables.entries}} (id int);");
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Void> otherDeployer = CompletableFuture.runAsync(() -> {
            try (Connection connection = database.dataSource().getConnection();
                    PreparedStatement lock = connection.prepareStatement(
                            "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || 'ledger'))")) {
                lock.execute();
                held.countDown();
                Thread.sleep(1500);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();

        MigrationResult result = migrate(ledger, MigrationFiles.fromDirectory("ledger", dir));

        assertThat((System.nanoTime() - started) / 1_000_000).as("waited for the other deployer")
                .isGreaterThanOrEqualTo(1000);
        assertThat(result.applied()).hasSize(1);
        otherDeployer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void lockWaitRunningOutNamesTheHolderAndTheSetting() throws Exception {
        ModuleDatabase audit = pgdbm.module("audit");
        try (Connection holder = database.dataSource().getConnection();
                PreparedStatement lock = holder.prepareStatement(
                        "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || 'audit')), pg_backend_pid()")) {
            int pid = pid(lock);

            assertThatThrownBy(() -> new Migrator(pgdbm, audit, List.of(),
                    MigrationOptions.defaults().withLockWait(Duration.ofMillis(400))).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("audit - waited 400ms for the migration lock of module audit, held by "
                            + "backend " + pid + " (role " + database.username() + ", application '")
                    .hasMessageContaining(", connected since ")
                    .hasMessageContaining(" between two statements. Another deployer is migrating it: let it finish, "
                            + "or raise pgdbm.migrate.lock-wait");
        }
    }

    @Test
    void lockWaitRunningOutOnAnIdleHolderSaysItLooksStuckAndHowToEndIt() throws Exception {
        ModuleDatabase ledger = pgdbm.module("stuck_ledger");
        try (Connection holder = database.dataSource().getConnection();
                Statement name = holder.createStatement()) {
            name.execute("SET application_name = 'forgotten-psql'");
            int pid;
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || 'stuck_ledger')), pg_backend_pid()")) {
                pid = pid(lock);
            }

            // The holder stays idle through the whole wait, longer than a deployer ever pauses between statements.
            assertThatThrownBy(() -> new Migrator(pgdbm, ledger, List.of(),
                    MigrationOptions.defaults().withLockWait(LockHolder.IDLE_LOOKS_STUCK.plusMillis(300))).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("stuck_ledger - waited 2300ms for the migration lock of module "
                            + "stuck_ledger, held by backend " + pid + " (role " + database.username()
                            + ", application 'forgotten-psql', client ")
                    .hasMessageMatching("(?s).*, connected since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\), "
                            + "idle since [^(]+ UTC \\(\\d+s\\): .*")
                    .hasMessageEndingWith(": it holds the lock but runs nothing, so it looks stuck (a deployer whose "
                            + "process hangs, or a pooled connection that kept the lock). If no deployer of module "
                            + "stuck_ledger is running, end that session with SELECT pg_terminate_backend(" + pid
                            + ") and migrate again; otherwise let it finish, or raise pgdbm.migrate.lock-wait");
        }
    }

    @Test
    void lockWaitRunningOutForARoleThatMayNotSeeTheHolderSaysWhatToGrant() throws Exception {
        try (Connection admin = database.dataSource().getConnection();
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE lock_watcher LOGIN PASSWORD 'watcher-pw'");
        }
        try (Connection holder = database.dataSource().getConnection();
                PreparedStatement lock = holder.prepareStatement(
                        "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || 'hidden')), pg_backend_pid()");
                Pgdbm watcher = Pgdbm.create(database.configBuilder().username("lock_watcher")
                        .password("watcher-pw").poolMaxSize(2).poolMinIdle(0).build())) {
            int pid = pid(lock);

            assertThatThrownBy(() -> new Migrator(watcher, watcher.module("hidden"), List.of(),
                    MigrationOptions.defaults().withLockWait(Duration.ofMillis(300))).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("hidden - waited 300ms for the migration lock of module hidden, held by "
                            + "backend " + pid + " (role " + database.username() + ", application '")
                    .hasMessageEndingWith("'; what it does is hidden from role lock_watcher: grant it "
                            + "pg_read_all_stats to see). Another deployer is migrating it: let it finish, or raise "
                            + "pgdbm.migrate.lock-wait. If that deployer is no longer running, a role allowed to can "
                            + "end the session: SELECT pg_terminate_backend(" + pid + ")");
        } finally {
            // Roles belong to the cluster, not to this test's database: leave none behind for the next run.
            try (Connection admin = database.dataSource().getConnection();
                    Statement sql = admin.createStatement()) {
                sql.execute("DROP ROLE lock_watcher");
            }
        }
    }

    private static int pid(PreparedStatement lockAndPid) throws SQLException {
        try (ResultSet row = lockAndPid.executeQuery()) {
            row.next();
            return row.getInt(2);
        }
    }

    @Test
    void migrationSessionChecksForALostClientAndPutsTheSettingBackAfterwards() throws IOException {
        // One connection, so the session the run used is the one asked afterwards.
        try (Pgdbm single = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0).build())) {
            ModuleDatabase watched = single.module("watched");
            write("1_seen.sql", "CREATE TABLE {{tables.seen}} AS "
                    + "SELECT current_setting('client_connection_check_interval') AS value;");

            new Migrator(single, watched, MigrationFiles.fromDirectory("watched", dir), MigrationOptions.defaults())
                    .migrate();

            assertThat(watched.fetchValue("SELECT value FROM {{tables.seen}}", String.class)).isEqualTo("1s");
            assertThat(watched.fetchValue("SHOW client_connection_check_interval", String.class)).isEqualTo("0");
        }
    }

    @Test
    void migrationSessionPutsBackTheCheckIntervalItsSessionHadSet() throws IOException {
        try (Pgdbm single = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0).build())) {
            ModuleDatabase watched = single.module("watched_set");
            watched.execute("SET client_connection_check_interval = '5s'");
            write("1_seen.sql", "CREATE TABLE {{tables.seen}} AS "
                    + "SELECT current_setting('client_connection_check_interval') AS value;");

            new Migrator(single, watched, MigrationFiles.fromDirectory("watched_set", dir),
                    MigrationOptions.defaults()).migrate();

            assertThat(watched.fetchValue("SELECT value FROM {{tables.seen}}", String.class)).isEqualTo("1s");
            assertThat(watched.fetchValue("SHOW client_connection_check_interval", String.class)).isEqualTo("5s");
        }
    }

    @Test
    void migrationSessionThatAlreadyChecksMoreOftenIsLeftAlone() throws IOException {
        try (Pgdbm single = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0).build())) {
            ModuleDatabase watched = single.module("watched_often");
            watched.execute("SET client_connection_check_interval = '500ms'");
            write("1_seen.sql", "CREATE TABLE {{tables.seen}} AS "
                    + "SELECT current_setting('client_connection_check_interval') AS value;");

            new Migrator(single, watched, MigrationFiles.fromDirectory("watched_often", dir),
                    MigrationOptions.defaults()).migrate();

            assertThat(watched.fetchValue("SELECT value FROM {{tables.seen}}", String.class)).isEqualTo("500ms");
            assertThat(watched.fetchValue("SHOW client_connection_check_interval", String.class))
                    .isEqualTo("500ms");
        }
    }

    @Test
    void longMigrationIsNotCutByThePoolsStatementTimeout() throws IOException {
        ModuleDatabase reports = pgdbm.module("reports");
        write("1_slow.sql", "SELECT pg_sleep(1.2); CREATE TABLE {{tables.done}} (id int);");

        assertThat(migrate(reports, MigrationFiles.fromDirectory("reports", dir)).applied()).hasSize(1);
        assertThat(reports.fetchValue("SHOW statement_timeout", String.class)).as("the pool's setting is back")
                .isEqualTo("800ms");
    }

    @Test
    void changedFileAfterItWasAppliedIsAnErrorThatSaysItsStatementsChanged() throws IOException {
        ModuleDatabase billing = pgdbm.module("billing");
        write("1_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int);");
        migrate(billing, MigrationFiles.fromDirectory("billing", dir));
        write("1_invoices.sql", "CREATE TABLE {{tables.invoices}} (id bigint);");

        assertThatThrownBy(() -> migrate(billing, MigrationFiles.fromDirectory("billing", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("billing - 1 migration problem, nothing was changed:\n  - 1_invoices.sql was "
                        + "changed after it was applied (history checksum ")
                .hasMessageContaining("; its statements changed, and changed statements never run: revert the change "
                        + "and put it in a new migration (repair would record the file without running it)")
                .satisfies(e -> assertThat(((MigrationException) e).problems()).singleElement().asString()
                        .startsWith("1_invoices.sql was changed after it was applied"));
        Migrator migrator = new Migrator(pgdbm, billing, MigrationFiles.fromDirectory("billing", dir),
                MigrationOptions.defaults());
        assertThat(migrator.status()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(MigrationState.CHANGED);
            assertThat(status.change()).contains(MigrationChange.STATEMENTS);
        });
        ValidationResult validation = migrator.validateWithResult();
        assertThat(validation.isValid()).isFalse();
        assertThat(validation.problems()).singleElement().asString().contains("its statements changed");
    }

    @Test
    void repairRecordsAChangeOfCommentsOrWhitespaceOnly() throws IOException {
        ModuleDatabase notes = pgdbm.module("repair_cosmetic");
        write("1_notes.sql", "CREATE TABLE {{tables.notes}} (id int, body text);\nINSERT INTO {{tables.notes}} "
                + "VALUES (1, 'a  b');");
        migrate(notes, MigrationFiles.fromDirectory("repair_cosmetic", dir));
        String edited = "-- The notes.\nCREATE TABLE {{tables.notes}} (\n    id int,   -- the key\n    body text\n);\n\n"
                + "/* seed */ INSERT INTO {{tables.notes}}\n    VALUES (1, 'a  b')";
        write("1_notes.sql", edited);
        Migrator migrator = new Migrator(pgdbm, notes, MigrationFiles.fromDirectory("repair_cosmetic", dir),
                MigrationOptions.defaults());

        assertThat(migrator.status()).singleElement().extracting(MigrationStatus::change)
                .isEqualTo(Optional.of(MigrationChange.COMMENTS_OR_WHITESPACE));
        assertThatThrownBy(migrator::validate).hasMessageContaining("1_notes.sql was changed after it was applied")
                .hasMessageContaining("; only comments or whitespace changed: run repair to record the file as it is "
                        + "now");

        RepairResult repaired = migrator.repair();

        assertThat(repaired.recorded()).singleElement().satisfies(file -> {
            assertThat(file.filename()).isEqualTo("1_notes.sql");
            assertThat(file.change()).isEqualTo(MigrationChange.COMMENTS_OR_WHITESPACE);
            assertThat(file.currentChecksum()).isEqualTo(MigrationFile.checksumOf(edited));
        });
        assertThat(repaired.refused()).isEmpty();
        assertThat(migrator.validate()).extracting(MigrationStatus::state).containsExactly(MigrationState.APPLIED);
        assertThat(notes.fetchValue("SELECT checksum FROM {{tables.schema_migrations}}", String.class))
                .isEqualTo(MigrationFile.checksumOf(edited));
        assertThat(migrator.migrate().upToDate()).isTrue();
    }

    @Test
    void repairRefusesAChangeOfStatementsUnlessItIsAcceptedAndNeverRunsIt() throws IOException {
        ModuleDatabase billing = pgdbm.module("repair_statements");
        write("1_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int);");
        migrate(billing, MigrationFiles.fromDirectory("repair_statements", dir));
        String original = billing.fetchValue("SELECT checksum FROM {{tables.schema_migrations}}", String.class);
        write("1_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int, total numeric);");
        Migrator migrator = new Migrator(pgdbm, billing, MigrationFiles.fromDirectory("repair_statements", dir),
                MigrationOptions.defaults());

        RepairResult refused = migrator.repair();

        assertThat(refused.recorded()).isEmpty();
        assertThat(refused.refused()).singleElement().satisfies(file -> {
            assertThat(file.filename()).isEqualTo("1_invoices.sql");
            assertThat(file.change()).isEqualTo(MigrationChange.STATEMENTS);
            assertThat(file.recordedChecksum()).isEqualTo(original);
        });
        assertThat(billing.fetchValue("SELECT checksum FROM {{tables.schema_migrations}}", String.class))
                .isEqualTo(original);

        RepairResult accepted = migrator.repair(RepairPolicy.ANY_CHANGE);

        assertThat(accepted.recorded()).extracting(RepairResult.ChangedFile::filename).containsExactly("1_invoices.sql");
        assertThat(migrator.validate()).extracting(MigrationStatus::state).containsExactly(MigrationState.APPLIED);
        assertThat(billing.fetchValue("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                + "'repair_statements' AND table_name = 'invoices' AND column_name = 'total'", Long.class))
                .as("repair never runs the file").isZero();
    }

    @Test
    void fileWithoutAStatementIsRefusedBeforeAnythingIsRecorded() throws IOException {
        ModuleDatabase empty = pgdbm.module("no_statement");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        write("2_todo.sql", "-- add the b table\n-- Module no_statement, created today.\n\n/* nothing yet */ ;\n");
        Migrator migrator = new Migrator(pgdbm, empty, MigrationFiles.fromDirectory("no_statement", dir),
                MigrationOptions.defaults());

        assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class)
                .hasMessage("no_statement - 1 migration problem, nothing was changed:\n  - 2_todo.sql has no "
                        + "statement, only comments or whitespace: write its SQL, or delete the file")
                .extracting(e -> ((MigrationException) e).file()).isEqualTo("2_todo.sql");
        assertThatThrownBy(migrator::validate).hasMessageContaining("2_todo.sql has no statement");
        assertThatThrownBy(migrator::dryRun).hasMessageContaining("2_todo.sql has no statement");
        assertThat(empty.fetchValue("SELECT count(*) FROM {{tables.schema_migrations}}", Long.class))
                .as("nothing recorded").isZero();
        assertThat(empty.fetchValue("SELECT to_regclass('no_statement.a') IS NULL", Boolean.class))
                .as("nothing applied, not even the files before it").isTrue();

        write("2_todo.sql", "-- add the b table\nCREATE TABLE {{tables.b}} (id int);\n");
        assertThat(new Migrator(pgdbm, empty, MigrationFiles.fromDirectory("no_statement", dir),
                MigrationOptions.defaults()).migrate().applied()).hasSize(2);
    }

    @Test
    void historyWrittenByPythonGainsTheStatementsChecksumAndStaysWritableTheWayPythonWritesIt() throws IOException {
        ModuleDatabase legacy = pgdbm.module("python_history");
        String first = "CREATE TABLE {{tables.a}} (id int);";
        write("001_a.sql", first);
        // pgdbm (Python) 0.4's table and its insert, column for column.
        legacy.execute("CREATE SCHEMA python_history");
        legacy.execute("CREATE TABLE python_history.schema_migrations (id SERIAL PRIMARY KEY, filename VARCHAR(255) "
                + "NOT NULL, checksum VARCHAR(64) NOT NULL, module_name VARCHAR(100), applied_at TIMESTAMP NOT NULL "
                + "DEFAULT CURRENT_TIMESTAMP, applied_by VARCHAR(100) DEFAULT CURRENT_USER, execution_time_ms INTEGER, "
                + "UNIQUE(filename, module_name))");
        legacy.execute("CREATE TABLE python_history.a (id int)");
        legacy.execute("INSERT INTO python_history.schema_migrations (filename, checksum, module_name, "
                + "execution_time_ms) VALUES (?, ?, ?, ?)", "001_a.sql", MigrationFile.checksumOf(first),
                "python_history", 3);

        write("001_a.sql", first + " -- reformatted");
        assertThat(new Migrator(pgdbm, legacy, MigrationFiles.fromDirectory("python_history", dir),
                MigrationOptions.defaults()).status()).singleElement().extracting(MigrationStatus::change)
                .as("a row without a statements checksum cannot tell").isEqualTo(Optional.of(MigrationChange.UNKNOWN));
        write("001_a.sql", first);
        write("002_b.sql", "CREATE TABLE {{tables.b}} (id int);");
        migrate(legacy, MigrationFiles.fromDirectory("python_history", dir));

        assertThat(legacy.fetchAll("SELECT filename FROM {{tables.schema_migrations}} WHERE statements_checksum "
                + "IS NOT NULL ORDER BY id", String.class)).containsExactly("001_a.sql", "002_b.sql");
        legacy.execute("INSERT INTO python_history.schema_migrations (filename, checksum, module_name, "
                + "execution_time_ms) VALUES (?, ?, ?, ?)", "003_c.sql", "0".repeat(64), "python_history", 1);
        assertThat(legacy.fetchAll("SELECT filename, checksum, applied_at, module_name FROM "
                + "python_history.schema_migrations WHERE module_name = ? OR module_name IS NULL ORDER BY filename",
                "python_history")).hasSize(3);
        write("001_a.sql", "-- the a table\n" + first);
        assertThat(new Migrator(pgdbm, legacy, MigrationFiles.fromDirectory("python_history", dir),
                MigrationOptions.defaults()).status()).filteredOn(s -> s.filename().equals("001_a.sql"))
                .singleElement().extracting(MigrationStatus::change)
                .isEqualTo(Optional.of(MigrationChange.COMMENTS_OR_WHITESPACE));
    }

    @Test
    void changedFileIsAllowedWhenTheSettingSaysSo() throws IOException {
        ModuleDatabase tolerant = pgdbm.module("tolerant");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        migrate(tolerant, MigrationFiles.fromDirectory("tolerant", dir));
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int); -- reformatted");
        write("2_b.sql", "CREATE TABLE {{tables.b}} (id int);");

        MigrationResult result = new Migrator(pgdbm, tolerant, MigrationFiles.fromDirectory("tolerant", dir),
                MigrationOptions.defaults().withAllowChanged(true)).migrate();

        assertThat(result.applied()).extracting(MigrationResult.Applied::filename).containsExactly("2_b.sql");
    }

    @Test
    void outOfOrderAndMissingFilesFailUnlessAllowed() throws IOException {
        ModuleDatabase catalog = pgdbm.module("catalog");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        write("3_c.sql", "CREATE TABLE {{tables.c}} (id int);");
        migrate(catalog, MigrationFiles.fromDirectory("catalog", dir));
        write("2_b.sql", "CREATE TABLE {{tables.b}} (id int);");
        Files.delete(dir.resolve("1_a.sql"));
        List<MigrationFile> files = MigrationFiles.fromDirectory("catalog", dir);

        assertThatThrownBy(() -> migrate(catalog, files))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("catalog - 2 migration problems, nothing was changed:")
                .hasMessageContaining("1_a.sql was applied but is missing from the migrations folder: restore it, or "
                        + "set pgdbm.migrate.allow-missing=true")
                .hasMessageContaining("2_b.sql is pending but older than the newest applied migration 3_c.sql: give "
                        + "it a number after that one, or set pgdbm.migrate.allow-out-of-order=true");
        assertThat(new Migrator(pgdbm, catalog, files, MigrationOptions.defaults()).status())
                .extracting(MigrationStatus::filename, MigrationStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1_a.sql", MigrationState.MISSING),
                        org.assertj.core.groups.Tuple.tuple("2_b.sql", MigrationState.OUT_OF_ORDER),
                        org.assertj.core.groups.Tuple.tuple("3_c.sql", MigrationState.APPLIED));

        MigrationResult allowed = new Migrator(pgdbm, catalog, files,
                MigrationOptions.defaults().withAllowMissing(true).withAllowOutOfOrder(true)).migrate();

        assertThat(allowed.applied()).extracting(MigrationResult.Applied::filename).containsExactly("2_b.sql");
    }

    @Test
    void eachAllowSettingAllowsOnlyItsOwnProblem() throws IOException {
        ModuleDatabase ledger = pgdbm.module("lenient");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        write("3_c.sql", "CREATE TABLE {{tables.c}} (id int);");
        migrate(ledger, MigrationFiles.fromDirectory("lenient", dir));
        write("2_b.sql", "CREATE TABLE {{tables.b}} (id int);");
        Files.delete(dir.resolve("1_a.sql"));
        List<MigrationFile> files = MigrationFiles.fromDirectory("lenient", dir);

        assertThatThrownBy(() -> new Migrator(pgdbm, ledger, files,
                MigrationOptions.defaults().withAllowMissing(true)).migrate())
                .hasMessageContaining("lenient - 1 migration problem, nothing was changed:")
                .hasMessageContaining("2_b.sql is pending but older");
        assertThatThrownBy(() -> new Migrator(pgdbm, ledger, files,
                MigrationOptions.defaults().withAllowOutOfOrder(true)).migrate())
                .hasMessageContaining("lenient - 1 migration problem, nothing was changed:")
                .hasMessageContaining("1_a.sql was applied but is missing");
    }

    @Test
    void pendingFileOlderThanAnAppliedFileMissingFromDiskIsOutOfOrder() throws IOException {
        ModuleDatabase archive = pgdbm.module("archive");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        write("5_e.sql", "CREATE TABLE {{tables.e}} (id int);");
        migrate(archive, MigrationFiles.fromDirectory("archive", dir));
        Files.delete(dir.resolve("5_e.sql"));
        write("3_c.sql", "CREATE TABLE {{tables.c}} (id int);");

        assertThat(new Migrator(pgdbm, archive, MigrationFiles.fromDirectory("archive", dir),
                MigrationOptions.defaults()).status())
                .extracting(MigrationStatus::filename, MigrationStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1_a.sql", MigrationState.APPLIED),
                        org.assertj.core.groups.Tuple.tuple("3_c.sql", MigrationState.OUT_OF_ORDER),
                        org.assertj.core.groups.Tuple.tuple("5_e.sql", MigrationState.MISSING));
    }

    @Test
    void dryRunReportsWhatWouldRunAndCreatesNothing() throws IOException {
        ModuleDatabase fresh = pgdbm.module("fresh");
        write("1_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        write("2_b.sql", "CREATE TABLE {{tables.b}} (id int);");
        Migrator migrator = new Migrator(pgdbm, fresh, MigrationFiles.fromDirectory("fresh", dir),
                MigrationOptions.defaults());

        assertThat(migrator.dryRun()).containsExactly("1_a.sql", "2_b.sql");
        assertThat(migrator.status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationState.PENDING, MigrationState.PENDING);
        assertThat(fresh.fetchValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'fresh'", Long.class))
                .as("not even the schema was created").isZero();
    }

    @Test
    void historyWrittenByPgdbmPythonIsContinuedNotReapplied() throws IOException {
        ModuleDatabase legacy = pgdbm.module("legacy");
        String first = "CREATE TABLE {{tables.things}} (id int);\n";
        write("001_things.sql", first);
        write("002_more.sql", "ALTER TABLE {{tables.things}} ADD COLUMN name text;");
        // What pgdbm 0.4 leaves behind: its table (unquoted DDL), the table its migration made, and its row.
        legacy.execute("CREATE SCHEMA legacy");
        legacy.execute("CREATE TABLE legacy.schema_migrations (id SERIAL PRIMARY KEY, filename VARCHAR(255) NOT NULL, "
                + "checksum VARCHAR(64) NOT NULL, module_name VARCHAR(100), applied_at TIMESTAMP NOT NULL DEFAULT "
                + "CURRENT_TIMESTAMP, applied_by VARCHAR(100) DEFAULT CURRENT_USER, execution_time_ms INTEGER, "
                + "UNIQUE(filename, module_name))");
        legacy.execute("CREATE TABLE legacy.things (id int)");
        legacy.execute("INSERT INTO legacy.schema_migrations (filename, checksum, module_name, execution_time_ms) "
                + "VALUES ('001_things.sql', ?, 'legacy', 3)",
                // What pgdbm computed for that text (Python's hashlib, not ours): the row is pgdbm's own.
                "9629706acf2426c0e357de50a1095f978dbf854e6ef11df90446ef72bc0d437c");

        MigrationResult result = migrate(legacy, MigrationFiles.fromDirectory("legacy", dir));

        assertThat(result.skipped()).containsExactly("001_things.sql");
        assertThat(result.applied()).extracting(MigrationResult.Applied::filename).containsExactly("002_more.sql");
    }

    @Test
    void mixedCaseSchemaKeepsItsCaseEverywhere() throws IOException {
        ModuleDatabase accounting = pgdbm.module("accounting", "Accounting");
        write("1_ledgers.sql", "CREATE TABLE {{tables.Ledgers}} (id int);");

        migrate(accounting, MigrationFiles.fromDirectory("accounting", dir));

        assertThat(accounting.fetchValue("SELECT count(*) FROM \"Accounting\".\"schema_migrations\"", Long.class))
                .isEqualTo(1L);
        assertThat(accounting.fetchValue("SELECT to_regclass('\"Accounting\".\"Ledgers\"') IS NOT NULL",
                Boolean.class)).isTrue();
        assertThat(accounting.fetchValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'accounting'",
                Long.class)).isZero();
    }

    @Test
    void trickySqlRunsWholeWithAndWithoutATransaction() throws IOException {
        ModuleDatabase tricky = pgdbm.module("tricky");
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE {{tables.notes}} (id int PRIMARY KEY, body text, "odd;column" int);
                /* a block; /* nested; */ comment */
                INSERT INTO {{tables.notes}} VALUES (1, 'a;b', 0), (2, 'it''s; fine', 0), (3, E'esc\\'; aped', 0);
                CREATE FUNCTION {{schema}}.bump(n int) RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                    n := n + 1; -- inside the body;
                    RETURN n;
                END;
                $$;
                CREATE FUNCTION {{schema}}.tagged() RETURNS text LANGUAGE plpgsql AS $fn$
                BEGIN RETURN $$;$$; END
                $fn$;
                CREATE FUNCTION {{schema}}.sign(n int) RETURNS text LANGUAGE sql
                BEGIN ATOMIC
                    SELECT CASE WHEN n < 0 THEN 'minus;' ELSE 'plus' END;
                END;
                INSERT INTO {{tables.notes}} VALUES (4, {{schema}}.tagged() || {{schema}}.sign(-1), {{schema}}.bump(41));
                """;
        write("1_tricky.sql", script);
        write("2_tricky_autocommit.sql", "-- pgdbm:no-transaction\n" + script.replace("{{tables.notes}}",
                "{{tables.notes2}}").replace(".bump", ".bump2").replace(".tagged", ".tagged2").replace(".sign",
                ".sign2"));

        MigrationResult result = migrate(tricky, MigrationFiles.fromDirectory("tricky", dir));

        assertThat(result.applied()).hasSize(2);
        for (String table : List.of("{{tables.notes}}", "{{tables.notes2}}")) {
            assertThat(tricky.fetchAll("SELECT body FROM " + table + " ORDER BY id", String.class))
                    .containsExactly("a;b", "it's; fine", "esc'; aped", ";minus;");
            assertThat(tricky.fetchValue("SELECT \"odd;column\" FROM " + table + " WHERE id = 4", Integer.class))
                    .isEqualTo(42);
        }
    }

    @Test
    void transactionControlInsideATransactionalFileIsRefusedBeforeAnythingRuns() throws IOException {
        ModuleDatabase journal = pgdbm.module("journal");
        write("1_journal.sql", "CREATE TABLE {{tables.entries}} (id int);\n\nCOMMIT;\nCREATE TABLE {{tables.more}} (id int);");

        assertThatThrownBy(() -> migrate(journal, MigrationFiles.fromDirectory("journal", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("journal - migration 1_journal.sql line 3: COMMIT ends or starts a transaction")
                .hasMessageContaining("-- pgdbm:no-transaction")
                .satisfies(e -> assertThat(((MigrationException) e).line()).isEqualTo(3));
        assertThat(journal.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class,
                journal.render("{{tables.entries}}"))).isTrue();

        write("1_journal.sql", "CREATE TABLE {{tables.entries}} (id int);\nSAVEPOINT s;\nCREATE TABLE {{tables.x}} "
                + "(id int);\nROLLBACK TO SAVEPOINT s;");
        migrate(journal, MigrationFiles.fromDirectory("journal", dir));

        assertThat(journal.fetchValue("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
                journal.render("{{tables.entries}}"))).isTrue();
        assertThat(journal.fetchValue("SELECT to_regclass(?) IS NULL", Boolean.class,
                journal.render("{{tables.x}}"))).isTrue();
    }

    @Test
    void statementThatCannotRunInATransactionSaysToUseTheNoTransactionForm() throws IOException {
        ModuleDatabase indexing = pgdbm.module("indexing");
        write("1_docs.sql", "CREATE TABLE {{tables.docs}} (id int);");
        write("2_index.sql", "CREATE INDEX CONCURRENTLY docs_id ON {{tables.docs}} (id);");

        assertThatThrownBy(() -> migrate(indexing, MigrationFiles.fromDirectory("indexing", dir)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("indexing - migration 2_index.sql failed in the statement starting on line 1")
                .hasMessageContaining("[SQLState 25001]. That statement cannot run inside a transaction: make the "
                        + "file's first line -- pgdbm:no-transaction.");
    }

    @Test
    void roleWithoutCreateOnTheDatabaseMigratesIntoAPreCreatedSchema() throws Exception {
        try (Connection admin = database.dataSource().getConnection();
                java.sql.Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE invoicing_owner LOGIN PASSWORD 'invoicing-pw'");
            sql.execute("REVOKE CREATE ON DATABASE \"" + admin.getCatalog() + "\" FROM PUBLIC");
            sql.execute("CREATE SCHEMA invoicing AUTHORIZATION invoicing_owner");
        }
        try {
            migrateAsRoleWithoutCreate();
        } finally {
            // Roles belong to the cluster, not to this test's database: leave none behind for the next run.
            try (Connection admin = database.dataSource().getConnection();
                    java.sql.Statement sql = admin.createStatement()) {
                sql.execute("DROP OWNED BY invoicing_owner");
                sql.execute("DROP ROLE invoicing_owner");
            }
        }
    }

    private void migrateAsRoleWithoutCreate() throws IOException {
        write("1_invoices.sql", "CREATE TABLE {{tables.invoices}} (id int);");
        write("2_lines.sql", "CREATE TABLE {{tables.lines}} (invoice int);");

        try (Pgdbm restricted = Pgdbm.create(database.configBuilder().username("invoicing_owner")
                .password("invoicing-pw").poolMaxSize(2).poolMinIdle(0).build())) {
            ModuleDatabase invoicing = restricted.module("invoicing");
            assertThat(invoicing.fetchValue("SELECT has_database_privilege(current_database(), 'CREATE')",
                    Boolean.class)).isFalse();

            MigrationResult result = new Migrator(restricted, invoicing, MigrationFiles.fromDirectory("invoicing", dir),
                    MigrationOptions.defaults()).migrate();

            assertThat(result.applied()).extracting(MigrationResult.Applied::filename)
                    .containsExactly("1_invoices.sql", "2_lines.sql");
            assertThat(invoicing.fetchValue("SELECT applied_by FROM {{tables.schema_migrations}} WHERE id = 1",
                    String.class)).isEqualTo("invoicing_owner");

            ModuleDatabase elsewhere = restricted.module("elsewhere");
            assertThatThrownBy(() -> new Migrator(restricted, elsewhere, MigrationFiles.fromDirectory("elsewhere",
                    dir), MigrationOptions.defaults()).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("elsewhere - schema elsewhere does not exist and this role may not create "
                            + "it (ERROR: permission denied for database")
                    .hasMessageContaining("CREATE SCHEMA \"elsewhere\" AUTHORIZATION");
        }
    }
}
