package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code pgdbm db create|drop|info|test-connection}: the database named by the URL. */
@Command(name = "db", description = "Create, drop, describe or test the database the URL names.",
        subcommands = {DbCommands.Create.class, DbCommands.Drop.class, DbCommands.Info.class,
            DbCommands.TestConnection.class})
final class DbCommands {

    /** The path part of a JDBC or libpq URL: {@code jdbc:postgresql://host:5432/app?ssl=true}. */
    private static final Pattern URL = Pattern.compile("^((?:jdbc:)?postgres(?:ql)?://[^/?]*/)([^?]*)(\\?.*)?$");

    private DbCommands() {
    }

    /** The configured database's name, and a configuration for the same server's {@code postgres} database. */
    record Target(String database, DatabaseConfig admin) {

        static Target of(DatabaseConfig config) {
            Matcher matcher = URL.matcher(config.url().orElseThrow());
            if (!matcher.matches() || matcher.group(2).isEmpty()) {
                throw new ConfigurationException("pgdbm.datasource.url", "pgdbm.datasource.url names no database; "
                        + "write it as jdbc:postgresql://host:5432/<database>");
            }
            String database = matcher.group(2);
            if (!database.matches("[A-Za-z_][A-Za-z0-9_$-]{0,62}")) {
                throw new ConfigurationException("pgdbm.datasource.url", "Database name '" + database + "' is not "
                        + "one this command creates or drops; use letters, digits, _, - and $");
            }
            String adminUrl = matcher.group(1) + "postgres" + (matcher.group(3) == null ? "" : matcher.group(3));
            return new Target(database, config.toBuilder().url(adminUrl).build());
        }
    }

    private static void admin(Target target, String sql) {
        try (Pgdbm pgdbm = Pgdbm.create(target.admin())) {
            pgdbm.module("admin").withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
                return null;
            });
        }
    }

    @Command(name = "create", description = {"Create the database the URL names.",
        "Connects to the server's postgres database to do it."})
    static final class Create extends DatabaseCommand {
        @Override
        public Integer call() {
            Target target = Target.of(config().database());
            admin(target, "CREATE DATABASE \"" + target.database() + "\"");
            out().println("created database " + target.database());
            return 0;
        }
    }

    @Command(name = "drop", description = "Drop the database the URL names (asks unless --yes).")
    static final class Drop extends DatabaseCommand {

        @Option(names = "--yes", description = "do not ask (needed without a terminal)")
        boolean yes;

        @Override
        public Integer call() {
            Target target = Target.of(config().database());
            if (!yes) {
                if (!terminal.isInteractive()) {
                    throw new ParameterException(spec.commandLine(), "Not dropping database " + target.database()
                            + ": there is no terminal to confirm on; pass --yes to drop it");
                }
                String answer = terminal.readLine("Drop database " + target.database()
                        + " and everything in it? Type its name to confirm: ");
                if (answer == null || !answer.strip().equals(target.database())) {
                    throw new CommandFailedException("Not dropped: the name typed did not match "
                            + target.database());
                }
            }
            admin(target, "DROP DATABASE \"" + target.database() + "\" WITH (FORCE)");
            out().println("dropped database " + target.database());
            return 0;
        }
    }

    @Command(name = "info", description = "Show the server, size, schemas and connections.")
    static final class Info extends DatabaseCommand {
        @Override
        public Integer call() {
            try (Pgdbm pgdbm = open()) {
                pgdbm.module("info").withConnection(connection -> {
                    print(connection, "server", "SELECT version()");
                    print(connection, "database", "SELECT current_database()");
                    print(connection, "user", "SELECT current_user");
                    print(connection, "size", "SELECT pg_size_pretty(pg_database_size(current_database()))");
                    print(connection, "encoding", "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                            + "WHERE datname = current_database()");
                    print(connection, "schemas", "SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                            + "AND nspname <> 'information_schema'");
                    print(connection, "connections", "SELECT count(*) FROM pg_stat_activity "
                            + "WHERE datname = current_database()");
                    return null;
                });
            }
            return 0;
        }

        private void print(Connection connection, String label, String sql) throws SQLException {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                out().printf("%-12s %s%n", label + ":", row.getString(1));
            }
        }
    }

    @Command(name = "test-connection", description = "Connect, run SELECT 1, and say how long it took.")
    static final class TestConnection extends DatabaseCommand {
        @Override
        public Integer call() {
            long started = System.nanoTime();
            try (Pgdbm pgdbm = open()) {
                String version = pgdbm.module("check").fetchValue("SHOW server_version", String.class);
                String who = pgdbm.module("check").fetchValue("SELECT current_user || '@' || current_database()",
                        String.class);
                out().println("ok: connected as " + who + " (PostgreSQL " + version + ") in "
                        + (System.nanoTime() - started) / 1_000_000 + "ms");
            }
            return 0;
        }
    }
}
