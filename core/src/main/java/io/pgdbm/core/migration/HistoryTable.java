package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import io.pgdbm.core.internal.engine.TransactionHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module's history table: pgdbm (Python) 0.4's {@code schema_migrations}, in the module's schema, so a history it
 * wrote is continued. Every identifier is quoted, so mixed-case schemas keep their case.
 */
final class HistoryTable {

    /** pgdbm-java's column: the checksum of a file's statements without comments and whitespace. */
    static final String STATEMENTS_CHECKSUM = "statements_checksum";

    private static final Logger LOG = LoggerFactory.getLogger(HistoryTable.class);
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INVALID_SCHEMA_NAME = "3F000";

    private final String schema;
    private final String module;
    private final String table;

    HistoryTable(String schema, String module) {
        this.schema = schema;
        this.module = module;
        this.table = quote(schema) + "." + quote(Migrator.HISTORY_TABLE);
    }

    /** The quoted, schema-qualified name. */
    String name() {
        return table;
    }

    /** Creates the schema only when it is missing, so a role without CREATE on the database can use an existing one. */
    void ensureSchema(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            exists.setString(1, schema);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            throw new MigrationException(module, null, module + " - schema " + schema + " does not exist and "
                    + "this role may not create it (" + e.getMessage() + " [SQLState 42501]). Create it once as an "
                    + "administrator (CREATE SCHEMA \"" + schema + "\" AUTHORIZATION <the application's role>), or "
                    + "grant CREATE on the database", e);
        }
    }

    boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet row = exists.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /**
     * Creates pgdbm 0.4's table and index when the table is missing, with pgdbm-java's own column
     * {@value #STATEMENTS_CHECKSUM} (a nullable column, which pgdbm for Python never names: it inserts and selects by
     * column name, so it goes on writing and reading the same table); adds the column to a table that lacks it.
     *
     * @return whether the table has the column: false when it lacks it and this role may not add it, in which case the
     *     history works as pgdbm's, and a changed file cannot be told apart from a changed schema
     */
    boolean ensureExists(Connection connection) throws SQLException {
        if (exists(connection)) {
            return ensureStatementsColumn(connection);
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "id SERIAL PRIMARY KEY, "
                    + "filename VARCHAR(255) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, "
                    + "module_name VARCHAR(100), "
                    + "applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                    + "applied_by VARCHAR(100) DEFAULT CURRENT_USER, "
                    + "execution_time_ms INTEGER, "
                    + STATEMENTS_CHECKSUM + " VARCHAR(64), "
                    + "UNIQUE (filename, module_name))");
            create.execute("CREATE INDEX IF NOT EXISTS " + quote("idx_" + Migrator.HISTORY_TABLE + "_module")
                    + " ON " + table + " (module_name, filename)");
        }
        return true;
    }

    /** Adds {@value #STATEMENTS_CHECKSUM} when missing; asks the catalogue first, as ALTER TABLE locks the table. */
    private boolean ensureStatementsColumn(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_attribute WHERE attrelid = "
                + "to_regclass(?) AND attname = '" + STATEMENTS_CHECKSUM + "' AND NOT attisdropped")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    return true;
                }
            }
        }
        try (Statement alter = connection.createStatement()) {
            alter.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + STATEMENTS_CHECKSUM
                    + " VARCHAR(64)");
            return true;
        } catch (SQLException e) {
            // Not the table's owner, or the table busy past lock_timeout: the history still works without the column.
            TransactionHandler.endAbortedRead(connection);
            LOG.warn("{} - could not add column {} to {} ({} [SQLState {}]); going on without it, so a file changed "
                    + "after it was applied cannot be told apart from a changed schema. The table's owner can add it: "
                    + "ALTER TABLE {} ADD COLUMN {} VARCHAR(64)", module, STATEMENTS_CHECKSUM, table, e.getMessage(),
                    e.getSQLState(), table, STATEMENTS_CHECKSUM);
            return false;
        }
    }

    /** The module's rows by file name. Rows without a module (written by old pgdbm versions) count, as in pgdbm. */
    Map<String, AppliedMigration> read(Connection connection) throws SQLException {
        Map<String, AppliedMigration> applied = new LinkedHashMap<>();
        // SELECT *: the statements checksum is read when the table has the column, in the same round trip.
        try (PreparedStatement query = connection.prepareStatement("SELECT * FROM " + table
                + " WHERE module_name = ? OR module_name IS NULL ORDER BY id")) {
            query.setString(1, module);
            try (ResultSet rows = query.executeQuery()) {
                boolean withStatements = hasColumn(rows.getMetaData(), STATEMENTS_CHECKSUM);
                while (rows.next()) {
                    int millis = rows.getInt("execution_time_ms");
                    Integer executionTime = rows.wasNull() ? null : millis;
                    String filename = rows.getString("filename");
                    applied.put(filename, new AppliedMigration(filename, rows.getString("checksum"),
                            rows.getObject("applied_at", LocalDateTime.class), rows.getString("applied_by"),
                            executionTime, withStatements ? rows.getString(STATEMENTS_CHECKSUM) : null));
                }
            }
        }
        return applied;
    }

    private static boolean hasColumn(ResultSetMetaData metadata, String column) throws SQLException {
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            if (metadata.getColumnName(i).equals(column)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each of the module's files, by name, with its recorded checksum: all the up-to-date check needs; {@code null}
     * when there is no history table (or schema) yet. One statement: a missing table is learned from its error, not
     * asked about first.
     */
    Map<String, String> checksumsIfExists(Connection connection) throws SQLException {
        Map<String, String> checksums = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT filename, checksum FROM " + table
                + " WHERE module_name = ? OR module_name IS NULL")) {
            query.setString(1, module);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    checksums.put(rows.getString(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState()) && !INVALID_SCHEMA_NAME.equals(e.getSQLState())) {
                throw e;
            }
            // A connection lent outside auto-commit now holds an aborted transaction: end it before it goes back.
            TransactionHandler.endAbortedRead(connection);
            return null;
        }
        return checksums;
    }

    /**
     * Records an applied file.
     *
     * @param withStatements whether the table has {@value #STATEMENTS_CHECKSUM} ({@link #ensureExists})
     */
    void record(Connection connection, MigrationFile file, long millis, boolean withStatements) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (filename, checksum, module_name, execution_time_ms" + (withStatements ? ", "
                        + STATEMENTS_CHECKSUM + ") VALUES (?, ?, ?, ?, ?)" : ") VALUES (?, ?, ?, ?)"))) {
            insert.setString(1, file.filename());
            insert.setString(2, file.checksum());
            insert.setString(3, module);
            insert.setInt(4, (int) Math.min(Integer.MAX_VALUE, millis));
            if (withStatements) {
                insert.setString(5, file.statementsChecksum());
            }
            insert.executeUpdate();
        }
    }

    /** Records the file's current checksums in its row (repair). */
    void updateChecksum(Connection connection, MigrationFile file, boolean withStatements) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET checksum = ?"
                + (withStatements ? ", " + STATEMENTS_CHECKSUM + " = ?" : "")
                + " WHERE filename = ? AND (module_name = ? OR module_name IS NULL)")) {
            int i = 1;
            update.setString(i++, file.checksum());
            if (withStatements) {
                update.setString(i++, file.statementsChecksum());
            }
            update.setString(i++, file.filename());
            update.setString(i, module);
            update.executeUpdate();
        }
    }

    /**
     * Fills in the statements checksum of rows written without one (by pgdbm for Python, or an earlier pgdbm-java)
     * whose file is unchanged: the file on disk is then exactly what ran, so a later change to it can be classified.
     */
    void fillStatementsChecksums(Connection connection, List<MigrationFile> unchanged) throws SQLException {
        if (unchanged.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET "
                + STATEMENTS_CHECKSUM + " = ? WHERE filename = ? AND checksum = ? AND " + STATEMENTS_CHECKSUM
                + " IS NULL AND (module_name = ? OR module_name IS NULL)")) {
            for (MigrationFile file : unchanged) {
                update.setString(1, file.statementsChecksum());
                update.setString(2, file.filename());
                update.setString(3, file.checksum());
                update.setString(4, module);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
