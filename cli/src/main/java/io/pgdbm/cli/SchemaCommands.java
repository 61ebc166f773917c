package io.pgdbm.cli;

import io.pgdbm.core.Pgdbm;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code pgdbm schema list}. */
@Command(name = "schema", description = "Schemas of the database.", subcommands = SchemaCommands.ListSchemas.class)
final class SchemaCommands {

    private SchemaCommands() {
    }

    /** One row of {@code schema list}. */
    record SchemaRow(String schema, String owner, long tables, boolean migrated) {
    }

    @Command(name = "list", description = "List schemas: owner, tables, migrated by pgdbm.")
    static final class ListSchemas extends DatabaseCommand {
        @Override
        public Integer call() {
            try (Pgdbm pgdbm = open()) {
                List<SchemaRow> rows = pgdbm.module("catalog").fetchAll("""
                        SELECT n.nspname AS schema, pg_get_userbyid(n.nspowner) AS owner,
                               (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))
                                   AS tables,
                               EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid
                                       AND c.relname = 'schema_migrations') AS migrated
                        FROM pg_namespace n
                        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                        ORDER BY n.nspname""", SchemaRow.class);
                out().printf("%-30s %-20s %7s  %s%n", "SCHEMA", "OWNER", "TABLES", "PGDBM");
                for (SchemaRow row : rows) {
                    out().printf("%-30s %-20s %7d  %s%n", row.schema(), row.owner(), row.tables(),
                            row.migrated() ? "yes" : "");
                }
            }
            return 0;
        }
    }
}
