package io.pgdbm.testing;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Names;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.Migrator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database with the modules migrated and the fixtures loaded, built once per JVM for each distinct set-up, from which
 * every test's database is cloned ({@code CREATE DATABASE ... TEMPLATE}). Clones are made ahead on the server's
 * background threads, their {@code Pgdbm} opened too, so a test takes one ready to use: one ahead at first, and
 * {@value #MAX_AHEAD} once a test has had to wait for its clone (tests faster than a clone), so that the next
 * {@code CREATE DATABASE} runs while a clone's pool opens.
 */
final class Template {

    static final int MAX_AHEAD = 2;

    private static final Map<Setup, Template> BUILT = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(Template.class);

    private final PgdbmTestServer server;
    private final Setup setup;
    private final String name;
    private final Deque<CompletableFuture<Clone>> ahead = new ArrayDeque<>();
    private int depth = 1;

    /**
     * A test's database: a copy of the template, and a {@code Pgdbm} open on it with the set-up's modules.
     *
     * @param name the database
     * @param pgdbm its pool and modules
     */
    record Clone(String name, Pgdbm pgdbm) {
    }

    private Template(PgdbmTestServer server, Setup setup, String name) {
        this.server = server;
        this.setup = setup;
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
        return new Template(server, setup, name);
    }

    private static void load(ModuleDatabase module, Setup.Fixture fixture) {
        try (InputStream in = loader().getResourceAsStream(fixture.path())) {
            if (in == null) {
                throw new IllegalArgumentException("Fixture " + fixture.path() + " of module " + module.name()
                        + " is not on the class path (e.g. src/test/resources/" + fixture.path() + ")");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (fixture.table() == null) {
                String sql = module.render(text);
                module.withConnection(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                    return null;
                });
            } else {
                String header = text.lines().findFirst().orElse("");
                List<String> columns = Arrays.stream(header.split(",")).map(String::strip).toList();
                if (columns.isEmpty() || !columns.stream().allMatch(Names::isValid)) {
                    throw new IllegalArgumentException("Fixture " + fixture.path() + ": the first line must name the "
                            + "columns (e.g. id,email), and '" + header + "' does not");
                }
                module.copyIn("COPY {{tables." + fixture.table() + "}} (" + String.join(", ", columns)
                        + ") FROM STDIN (FORMAT csv, HEADER true)", new StringReader(text));
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
        // One idle connection: HikariCP keeps the one it opens at start (with none it would close it), so a clone
        // made ahead comes with a connection ready, and the test does not pay for the first one.
        DatabaseConfig.Builder builder = DatabaseConfig.builder().name("test-" + label)
                .url(server.jdbcUrl(database)).username(server.username())
                .poolMaxSize(4).poolMinIdle(1).connectAttempts(1);
        if (server.password() != null) {
            builder.password(server.password());
        }
        return builder;
    }

    /**
     * A fresh copy of the template with its {@code Pgdbm} open: one made ahead when there is one (waiting for it if
     * it is under way), else one made now; then starts making the next ones.
     */
    synchronized Clone take() {
        CompletableFuture<Clone> first = ahead.poll();
        Clone clone = null;
        if (first != null) {
            if (!first.isDone() && depth < MAX_AHEAD) {
                depth++;
            }
            try {
                clone = first.join();
            } catch (CompletionException e) {
                // Making it ahead failed (the server was busy, say): make one now, which reports its own failure.
                LOG.warn("pgdbm-testing - a test database made ahead from template {} failed; making one now: {}",
                        name, e.getCause().toString());
            }
        }
        fillAhead();
        return clone != null ? clone : makeClone();
    }

    /** Closes {@code clone}'s pool and drops it, on the server's background thread. */
    void release(Clone clone) {
        server.dropLater(clone.name(), clone.pgdbm()::close);
    }

    private void fillAhead() {
        while (ahead.size() < depth) {
            ahead.add(server.background().ahead(this::createClone, this::open));
        }
    }

    private Clone makeClone() {
        return open(createClone());
    }

    private String createClone() {
        String database = server.newName(false);
        server.create(database, name);
        return database;
    }

    /** Opens a {@code Pgdbm} with the set-up's modules on a new clone; drops the clone when that fails. */
    private Clone open(String database) {
        Pgdbm pgdbm = null;
        try {
            pgdbm = Pgdbm.create(config(server, database, "db").build());
            for (Setup.Module module : setup.modules()) {
                pgdbm.module(module.name(), module.schema());
            }
            return new Clone(database, pgdbm);
        } catch (RuntimeException e) {
            if (pgdbm != null) {
                pgdbm.close();
            }
            try {
                server.drop(database);
            } catch (IllegalStateException dropFailure) {
                e.addSuppressed(dropFailure);
            }
            throw e;
        }
    }
}
