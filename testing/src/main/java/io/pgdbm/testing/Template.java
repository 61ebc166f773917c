package io.pgdbm.testing;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.Migrator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A database with the modules migrated and the fixtures loaded, built once per JVM for each distinct set-up, from which
 * every test's database is cloned ({@code CREATE DATABASE ... TEMPLATE}). The next clone is made ahead on a background
 * thread, so a test does not wait for it.
 */
final class Template {

    private static final Map<Setup, Template> BUILT = new ConcurrentHashMap<>();
    private static final ExecutorService AHEAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "pgdbm-test-clone-ahead");
        thread.setDaemon(true);
        return thread;
    });

    private final PgdbmTestServer server;
    private final String name;
    private CompletableFuture<String> next;

    private Template(PgdbmTestServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** The template for {@code setup}, built on first use. */
    static Template of(PgdbmTestServer server, Setup setup) {
        return BUILT.computeIfAbsent(setup, key -> build(server, key));
    }

    private static Template build(PgdbmTestServer server, Setup setup) {
        String name = server.newName(true);
        server.create(name, null);
        try (Pgdbm pgdbm = Pgdbm.create(config(server, name, "template").build())) {
            for (Setup.Module module : setup.modules()) {
                ModuleDatabase database = pgdbm.module(module.name(), module.schema());
                new Migrator(pgdbm, database, module.migrations().isEmpty() ? List.of()
                        : MigrationFiles.fromClasspath(module.name(), module.migrations(), loader()),
                        MigrationOptions.defaults()).migrate();
            }
            for (Setup.Fixture fixture : setup.fixtures()) {
                load(pgdbm.findModule(fixture.module()).orElseThrow(), fixture);
            }
        } catch (RuntimeException e) {
            server.drop(name);
            throw e;
        }
        return new Template(server, name);
    }

    private static void load(ModuleDatabase module, Setup.Fixture fixture) {
        try (InputStream in = loader().getResourceAsStream(fixture.path())) {
            if (in == null) {
                throw new IllegalArgumentException("Fixture " + fixture.path() + " of module " + module.name()
                        + " is not on the class path (e.g. src/test/resources/" + fixture.path() + ")");
            }
            if (fixture.table() == null) {
                String sql = module.render(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                module.withConnection(connection -> {
                    try (java.sql.Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                    return null;
                });
            } else {
                String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String header = csv.lines().findFirst().orElse("");
                List<String> columns = java.util.Arrays.stream(header.split(",")).map(String::strip).toList();
                if (columns.isEmpty() || !columns.stream().allMatch(io.pgdbm.core.Names::isValid)) {
                    throw new IllegalArgumentException("Fixture " + fixture.path() + ": the first line must name the "
                            + "columns (e.g. id,email), and '" + header + "' does not");
                }
                module.copyIn("COPY {{tables." + fixture.table() + "}} (" + String.join(", ", columns)
                        + ") FROM STDIN (FORMAT csv, HEADER true)", new java.io.StringReader(csv));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading fixture " + fixture.path() + " failed", e);
        }
    }

    static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Template.class.getClassLoader();
    }

    static DatabaseConfig.Builder config(PgdbmTestServer server, String database, String label) {
        DatabaseConfig.Builder builder = DatabaseConfig.builder().name("test-" + label)
                .url(server.jdbcUrl(database)).username(server.username())
                .poolMaxSize(4).poolMinIdle(0).connectAttempts(1);
        if (server.password() != null) {
            builder.password(server.password());
        }
        return builder;
    }

    /** A fresh copy of the template: the one made ahead when there is one; then starts making the next. */
    synchronized String take() {
        String database = null;
        if (next != null) {
            try {
                database = next.join();
            } catch (CompletionException e) {
                // Making it ahead failed (the server was busy, say): make one now, which reports its own failure.
                database = null;
            }
        }
        if (database == null) {
            database = cloneNow();
        }
        next = CompletableFuture.supplyAsync(this::cloneNow, AHEAD);
        return database;
    }

    private String cloneNow() {
        String database = server.newName(false);
        server.create(database, name);
        return database;
    }
}
