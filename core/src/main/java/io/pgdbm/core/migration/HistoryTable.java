package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One module's history table: pgdbm (Python) 0.4's {@code schema_migrations}, in the module's schema, so a history it
 * wrote is continued. Every identifier is quoted, so mixed-case schemas keep their case.
 */
final class HistoryTable {

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

    /** Creates pgdbm 0.4's table and index when the table is missing. */
    void ensureExists(Connection connection) throws SQLException {
        if (exists(connection)) {
            return;
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
                    + "UNIQUE (filename, module_name))");
            create.execute("CREATE INDEX IF NOT EXISTS " + quote("idx_" + Migrator.HISTORY_TABLE + "_module")
                    + " ON " + table + " (module_name, filename)");
        }
    }

    /** The module's rows by file name. Rows without a module (written by old pgdbm versions) count, as in pgdbm. */
    Map<String, AppliedMigration> read(Connection connection) throws SQLException {
        Map<String, AppliedMigration> applied = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT filename, checksum, applied_at, applied_by,"
                + " execution_time_ms FROM " + table + " WHERE module_name = ? OR module_name IS NULL ORDER BY id")) {
            query.setString(1, module);
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
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return null;
        }
        return checksums;
    }

    void record(Connection connection, MigrationFile file, long millis) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (filename, checksum, module_name, execution_time_ms) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, file.filename());
            insert.setString(2, file.checksum());
            insert.setString(3, module);
            insert.setInt(4, (int) Math.min(Integer.MAX_VALUE, millis));
            insert.executeUpdate();
        }
    }

    void updateChecksum(Connection connection, MigrationFile file) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET checksum = ? WHERE filename = ? AND (module_name = ? OR module_name IS NULL)")) {
            update.setString(1, file.checksum());
            update.setString(2, file.filename());
            update.setString(3, module);
            update.executeUpdate();
        }
    }

    static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
