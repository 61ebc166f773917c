package io.pgdbm.core.migration;

import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.MigrationException;
import io.pgdbm.core.Durations;
import io.pgdbm.core.internal.engine.TransactionHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's migration lock, held on one dedicated connection for a whole run: PostgreSQL's session advisory lock keyed
 * {@code hashtext('pgdbm_migration_' || module)}, as pgdbm (Python) keys it, so deployers of one module (threads, JVMs,
 * a Python service) exclude each other while other modules migrate in parallel.
 *
 * <p>A deployer killed while a statement of its run executes frees the lock within about a second, not when that
 * statement ends, on PostgreSQL 14+: the session checks for a lost client ({@link LostClientCheck}), and a waiter that
 * gives up names the holder, what it does, and how to end it when it looks stuck ({@link LockHolder}).
 *
 * <p>The connection goes back to its pool as it came: no open transaction, the lock released, the session settings of
 * the run reset, its commit mode restored. When the lock cannot be released on it, the connection is discarded rather
 * than pooled, because an idle pooled session holding the lock would make every later deployer wait its whole lock wait.
 */
final class MigrationLock {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);

    private final DataSource dataSource;
    private final String module;
    private final MigrationOptions options;

    MigrationLock(DataSource dataSource, String module, MigrationOptions options) {
        this.dataSource = dataSource;
        this.module = module;
        this.options = options;
    }

    /** Work that runs holding the lock, on the lock's connection, in auto-commit mode. */
    @FunctionalInterface
    interface LockedWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Takes the lock (waiting at most the lock wait), runs {@code work}, and cleans up. A failure of the work reaches
     * the caller as it is; clean-up never masks it.
     */
    <T> T run(LockedWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            TransactionHandler.Restore commitMode = TransactionHandler.autoCommit(connection);
            // Before the lock, so that a deployer killed while it waits frees its backend too.
            LostClientCheck lostClientCheck = LostClientCheck.enable(connection, module);
            boolean locked = false;
            try {
                lock(connection);
                locked = true;
                return work.run(connection);
            } finally {
                // Never let clean-up mask the failure that brought us here: each step is quiet.
                endOpenTransaction(connection);
                boolean released = !locked || unlock(connection);
                quietly(connection, "RESET statement_timeout");
                quietly(connection, "RESET lock_timeout");
                lostClientCheck.restore(connection, module);
                commitMode.restore();
                if (!released) {
                    discard(connection);
                }
            }
        } catch (SQLException e) {
            throw new MigrationException(module, null, module + " - migration run failed: " + e.getMessage()
                    + " [SQLState " + e.getSQLState() + "]", e);
        }
    }

    private void lock(Connection connection) throws SQLException {
        // lock_timeout bounds the wait for the advisory lock; statement_timeout must not cut it shorter.
        set(connection, "statement_timeout", 0);
        set(connection, "lock_timeout", Math.max(1, options.lockWait().toMillis()));
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_lock(hashtext('pgdbm_migration_' || ?))")) {
            lock.setString(1, module);
            lock.execute();
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
            throw new MigrationException(module, null, module + " - waited " + Durations.format(options.lockWait())
                    + " for the migration lock of module " + module + ", " + LockHolder.describe(connection, module),
                    e);
        } finally {
            quietly(connection, "RESET lock_timeout");
        }
    }

    /**
     * Ends a transaction the work left open: a file run without pgdbm's transaction may hold a {@code BEGIN} of its own
     * that it never ended, and while it is open (or aborted) the unlock cannot run.
     */
    private void endOpenTransaction(Connection connection) {
        try {
            if (connection.isWrapperFor(BaseConnection.class)
                    && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
                return;
            }
        } catch (SQLException e) {
            // The state is unknown: a ROLLBACK outside a transaction is only a warning, so send it.
        }
        quietly(connection, "ROLLBACK");
    }

    /** Releases the lock; false when it could not be (the connection then must not go back to the pool). */
    private boolean unlock(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext('pgdbm_migration_' || ?))")) {
            unlock.setString(1, module);
            try (ResultSet row = unlock.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.warn("{} - releasing the migration lock failed ({}); closing the connection releases it", module,
                    e.getMessage());
            return false;
        }
    }

    /** Takes the connection out of its pool and closes it, which ends its session and every lock the session holds. */
    private void discard(Connection connection) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
                return;
            }
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("{} - discarding the migration connection failed ({}); the lock is released when its session "
                    + "ends", module, e.getMessage());
        }
    }

    static void set(Connection connection, String setting, long millis) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET " + setting + " = " + millis);
        }
    }

    private void quietly(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            LOG.warn("{} - {} failed: {}", module, sql, e.getMessage());
        }
    }
}
