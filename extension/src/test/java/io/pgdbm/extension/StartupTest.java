package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.DatabaseModule;
import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Start-up: datasources from each source, migrations and their failure, configuration, shutdown. */
class StartupTest {

    private TestDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = TestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Map<String, String> ownPool(String... more) {
        return Containers.ownPool(database, more);
    }

    private Object query(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getObject(1) : null;
        }
    }

    @DatabaseModule(schema = "broken", migrations = "db/broken")
    static class BrokenModule {
    }

    @Test
    void failingMigrationStopsTheDeploymentNamingModuleFileAndLine() throws Exception {
        assertThatThrownBy(() -> Containers.start(ownPool(), BrokenModule.class).close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageStartingWith("pgdbm: migrating module broken failed at 002_broken.sql line 2; the "
                        + "application does not start. broken - migration 002_broken.sql failed at line 2: syntax "
                        + "error at or near \"TABEL\"")
                .satisfies(e -> {
                    MigrationException cause = findCause(e, MigrationException.class);
                    assertThat(cause.module()).isEqualTo("broken");
                    assertThat(cause.file()).isEqualTo("002_broken.sql");
                    assertThat(cause.line()).isEqualTo(2);
                });

        assertThat(query("SELECT string_agg(filename, ',' ORDER BY id) FROM broken.schema_migrations"))
                .isEqualTo("001_ok.sql");
        assertThat(query("SELECT to_regclass('broken.half') IS NULL")).isEqualTo(true);
    }

    @Test
    void fileChangedAfterItWasAppliedStopsTheDeploymentSayingWhatWasFound() throws Exception {
        Containers.start(ownPool(), UsersModule.class).close();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE users.schema_migrations SET checksum = 'edited-since' "
                    + "WHERE filename = '002_names.sql'");
        }

        assertThatThrownBy(() -> Containers.start(ownPool(), UsersModule.class).close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageStartingWith("pgdbm: module users was not migrated, and the application does not start: "
                        + "002_names.sql was changed after it was applied (history checksum edited-since, file now ")
                .hasMessageNotContaining("failed at")
                .satisfies(e -> assertThat(findCause(e, MigrationException.class).problems()).singleElement()
                        .asString().startsWith("002_names.sql was changed after it was applied"));
    }

    private static <T extends Throwable> T findCause(Throwable thrown, Class<T> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getName() + " in " + thrown, thrown);
    }

    @Test
    void hostRenamesAModulesSchemaAndCrossModuleTemplatesFollow() throws Exception {
        try (WeldContainer container = Containers.start(ownPool("pgdbm.module.\"users\".schema", "people"),
                UsersModule.class, OrdersModule.class)) {
            UsersModule users = container.select(UsersModule.class).get();

            assertThat(users.db().schema()).isEqualTo("people");
            assertThat(container.select(OrdersModule.class).get().db().render("{{tables.users.accounts}}"))
                    .isEqualTo("\"people\".\"accounts\"");
        }
        assertThat(query("SELECT count(*) FROM people.schema_migrations")).isEqualTo(2L);
        assertThat(query("SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"))
                .isEqualTo("people.accounts");
        assertThat(query("SELECT count(*) FROM pg_namespace WHERE nspname = 'users'")).isEqualTo(0L);
    }

    @Test
    void migrationsCanBeSwitchedOffForAllModulesOrForOne() throws Exception {
        try (WeldContainer container = Containers.start(ownPool("pgdbm.migrate.at-start", "false"),
                UsersModule.class)) {
            assertThat(container.select(DatabaseModules.class).get().startupMigrations()).isEmpty();
            assertThat(container.select(UsersModule.class).get().db().fetchValue("SELECT 1", Integer.class))
                    .isEqualTo(1);
        }
        assertThat(query("SELECT count(*) FROM pg_namespace WHERE nspname = 'users'")).isEqualTo(0L);

        try (WeldContainer container = Containers.start(ownPool("pgdbm.module.users.migrate", "false"),
                UsersModule.class, NotesModule.class)) {
            assertThat(container.select(DatabaseModules.class).get().startupMigrations())
                    .extracting(MigrationResult::module).containsExactly("notes");
        }
        assertThat(query("SELECT count(*) FROM pg_namespace WHERE nspname = 'users'")).isEqualTo(0L);
    }

    @DatabaseModule(schema = "notes", migrations = "db/notes")
    static class NotesModule {
        @Inject
        ModuleDatabase db;
    }

    @Test
    void twoContainersStartingAtOnceOnOneDatabaseMigrateOnce() throws Exception {
        // The test holds the users module's migration lock until both containers wait for it, so the two start-ups
        // are at the lock at the same time, however fast each container boots.
        // A thread each: the common pool may have one thread on two cores (JDK 25 keeps it), and the first start-up
        // blocks on the lock.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = database.dataSource().getConnection();
                Statement lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(hashtext('pgdbm_migration_users'))");
            List<CompletableFuture<List<MigrationResult>>> starts = List.of(1, 2).stream()
                    .map(i -> CompletableFuture.supplyAsync(() -> {
                        try (WeldContainer container = Containers.start(ownPool(), UsersModule.class,
                                OrdersModule.class)) {
                            return container.select(DatabaseModules.class).get().startupMigrations();
                        }
                    }, threads)).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((Long) query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") < 2) {
                assertThat(System.nanoTime()).as("both containers wait for the lock").isLessThan(deadline);
                for (CompletableFuture<List<MigrationResult>> start : starts) {
                    assertThat(start.isDone() ? start.get() : null).as("a container that did not wait").isNull();
                }
                Thread.sleep(20);
            }
            lock.execute("SELECT pg_advisory_unlock(hashtext('pgdbm_migration_users'))");

            int applied = 0;
            for (CompletableFuture<List<MigrationResult>> start : starts) {
                for (MigrationResult result : start.get(120, TimeUnit.SECONDS)) {
                    applied += result.applied().size();
                }
            }
            assertThat(applied).isEqualTo(3);
        } finally {
            threads.shutdown();
        }
        assertThat(query("SELECT count(*) FROM users.schema_migrations")).isEqualTo(2L);
        assertThat(query("SELECT count(*) FROM shop_orders.schema_migrations")).isEqualTo(1L);
    }

    /** The application's own pool, as a CDI bean (what Quarkus and Helidon provide). */
    @ApplicationScoped
    static class ApplicationPool {
        static volatile HikariDataSource pool;

        @Produces
        DataSource dataSource() {
            return pool;
        }
    }

    private HikariDataSource applicationPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void withNoSettingTheContainersDefaultDataSourceBeanIsBorrowedAndNeverClosed() throws Exception {
        try (HikariDataSource pool = applicationPool()) {
            ApplicationPool.pool = pool;
            try (WeldContainer container = Containers.start(Map.of(), ApplicationPool.class, NotesModule.class)) {
                ModuleDatabase notes = container.select(NotesModule.class).get().db;
                notes.execute("INSERT INTO {{tables.notes}} VALUES (1, 'borrowed')");
            }
            assertThat(pool.isClosed()).isFalse();
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT body FROM notes.notes")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("borrowed");
            }
        }
    }

    @Test
    void containerDataSourceIsLookedUpByJndiNameAndNeverClosed() throws Exception {
        System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, TestNaming.class.getName());
        try (HikariDataSource pool = applicationPool()) {
            TestNaming.BOUND.put("jdbc/app", pool);
            try (WeldContainer container = Containers.start(Map.of("pgdbm.datasource.jndi", "jdbc/app"),
                    NotesModule.class)) {
                assertThat(container.select(DatabaseModules.class).get().startupMigrations()).hasSize(1);
            }
            assertThat(pool.isClosed()).isFalse();
            assertThatThrownBy(() -> Containers.start(Map.of("pgdbm.datasource.jndi", "jdbc/ap"), NotesModule.class)
                    .close())
                    .hasStackTraceContaining("pgdbm.datasource.jndi: no DataSource is bound at JNDI name jdbc/ap "
                            + "(NameNotFoundException: jdbc/ap is not bound); check the server's datasource "
                            + "definition");
        } finally {
            TestNaming.BOUND.clear();
            System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
        }
        assertThat(query("SELECT count(*) FROM notes.schema_migrations")).isEqualTo(1L);
    }

    /** Two DataSource beans; pgdbm is told which by name. */
    @ApplicationScoped
    static class TwoPools {
        static volatile HikariDataSource reporting;

        @Produces
        @Named("reporting")
        DataSource reporting() {
            return reporting;
        }

        @Produces
        DataSource other() {
            throw new AssertionError("pgdbm must use the named bean");
        }
    }

    @Test
    void namedDataSourceBeanIsUsedWhenConfigured() throws Exception {
        try (HikariDataSource pool = applicationPool()) {
            TwoPools.reporting = pool;
            try (WeldContainer container = Containers.start(Map.of("pgdbm.datasource.bean", "reporting"),
                    TwoPools.class, NotesModule.class)) {
                assertThat(container.select(DatabaseModules.class).get().startupMigrations()).hasSize(1);
            }
            assertThat(pool.isClosed()).isFalse();
        }
        assertThat(query("SELECT count(*) FROM notes.schema_migrations")).isEqualTo(1L);

        assertThatThrownBy(() -> Containers.start(Map.of("pgdbm.datasource.bean", "reportng"), TwoPools.class,
                NotesModule.class).close())
                .hasStackTraceContaining("pgdbm.datasource.bean: no DataSource bean is @Named(\"reportng\")");
    }

    @DatabaseModule(schema = "archive", migrations = "db/notes", datasource = "archive")
    static class ArchiveModule {
        @Inject
        ModuleDatabase db;
    }

    @Test
    void moduleOnANamedDatasourceUsesThatDatasourcesSettings() throws Exception {
        TestDatabase archive = TestDatabase.create();
        try (archive) {
            Map<String, String> config = ownPool(
                    "pgdbm.datasource.\"archive\".url", archive.jdbcUrl(),
                    "pgdbm.datasource.archive.username", archive.username());
            try (WeldContainer container = Containers.start(config, NotesModule.class, ArchiveModule.class)) {
                ModuleDatabase db = container.select(ArchiveModule.class).get().db;
                assertThat(db.fetchValue("SELECT current_database()", String.class)).isEqualTo(archive.name());
                ModuleDatabase notes = container.select(NotesModule.class).get().db;
                assertThat(notes.fetchValue("SELECT current_database()", String.class)).isEqualTo(database.name());
            }
        }
    }

    @Test
    void missingOrMisspeltSettingsFailTheDeploymentSayingWhatToSet() {
        assertThatThrownBy(() -> Containers.start(Map.of(), NotesModule.class).close())
                .hasStackTraceContaining("pgdbm: configuration pgdbm.datasource.url is wrong; the application does "
                        + "not start. No DataSource for pgdbm's default datasource: set pgdbm.datasource.url (pgdbm "
                        + "opens its own pool), pgdbm.datasource.jndi (the container's DataSource at that JNDI name) "
                        + "or pgdbm.datasource.bean (the @Named DataSource bean), or make the application's "
                        + "DataSource available as a CDI bean");
        assertThatThrownBy(() -> Containers.start(ownPool("pgdbm.pool.max-sise", "3"), NotesModule.class).close())
                .hasStackTraceContaining("Unknown pgdbm setting pgdbm.pool.max-sise (in PropertiesConfigSource["
                        + "source=pgdbm-test]; did you mean pgdbm.pool.max-size?); fix or remove it. Valid keys: "
                        + "pgdbm.datasource.url, ");
        assertThatThrownBy(() -> Containers.start(ownPool("pgdbm.module.\"nots\".schema", "x"), NotesModule.class)
                .close())
                .hasStackTraceContaining("pgdbm.module.\"nots\".schema is set, but there is no module nots (modules: "
                        + "[notes]); fix the name or remove the setting");
        assertThatThrownBy(() -> Containers.start(ownPool("pgdbm.datasource.jndi", "jdbc/app"), NotesModule.class)
                .close())
                .hasStackTraceContaining("Datasource default is given by pgdbm.datasource.url and "
                        + "pgdbm.datasource.jndi; set only one of them");
        assertThatThrownBy(() -> Containers.start(Map.of("pgdbm.datasource.jndi", "jdbc/app"), NotesModule.class)
                .close())
                .hasStackTraceContaining("pgdbm.datasource.jndi: no DataSource is bound at JNDI name jdbc/app");
        assertThatThrownBy(() -> Containers.start(ownPool("pgdbm.datasource.\"reprots\".url", database.jdbcUrl()),
                NotesModule.class).close())
                .hasStackTraceContaining("pgdbm.datasource.\"reprots\".url is set, but no module uses datasource "
                        + "reprots (@DatabaseModule(datasource = ...) names none); fix the name or remove the setting");
    }

    @Test
    void environmentVariablesAreCheckedUnderTheNamesTheyWereSetWith() {
        try (WeldContainer container = Containers.startWithEnvironment(ownPool("pgdbm.test.url",
                "jdbc:postgresql://localhost/postgres"), Map.of("PGDBM_POOL_MAX_SIZE", "2", "PGDBM_MODULE__NOTES__SCHEMA",
                "notes_env", "PGDBM_TEST_URL", "jdbc:postgresql://localhost/postgres"), NotesModule.class)) {
            assertThat(container.select(NotesModule.class).get().db.schema()).isEqualTo("notes_env");
        }

        assertThatThrownBy(() -> Containers.startWithEnvironment(ownPool(), Map.of("PGDBM_POOL_MAXSIZE", "3"),
                NotesModule.class).close())
                .hasStackTraceContaining("Unknown pgdbm setting PGDBM_POOL_MAXSIZE (environment variable; did you mean "
                        + "PGDBM_POOL_MAX_SIZE, which sets pgdbm.pool.max-size?); fix or remove it.")
                .satisfies(e -> assertThat(e).hasStackTraceContaining("in the environment, each in upper case")
                        .rootCause().message().doesNotContain("pgdbm.pool.maxsize"));
        assertThatThrownBy(() -> Containers.startWithEnvironment(ownPool(), Map.of("PGDBM_MODULE__NOTS__SCHEMA", "x"),
                NotesModule.class).close())
                .hasStackTraceContaining("PGDBM_MODULE__NOTS__SCHEMA is set, but there is no module NOTS (modules: "
                        + "[notes]); fix the name or remove the setting");
    }

    @Test
    void commandLineProjectKeysInTheSameConfigurationAreLeftToTheCommandLine() {
        // One properties file can serve the application and the pgdbm command line, whose project keys name each
        // module's folder on disk and its dependencies.
        try (WeldContainer container = Containers.start(ownPool("pgdbm.module.\"notes\".migrations",
                "src/main/resources/db/notes", "pgdbm.module.\"notes\".depends-on", ""), NotesModule.class)) {
            assertThat(container.select(DatabaseModules.class).get().startupMigrations())
                    .extracting(MigrationResult::module).containsExactly("notes");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containers.Kind.class, names = {"FULL", "LITE"})
    void ownPoolClosesWithTheContainer(Containers.Kind kind) throws Exception {
        String application = "pgdbm-close-" + System.nanoTime();
        try (WeldContainer container = Containers.start(kind, ownPool("pgdbm.application-name", application,
                "pgdbm.pool.min-idle", "2"), NotesModule.class)) {
            container.select(NotesModule.class).get().db.fetchValue("SELECT 1", Integer.class);
            assertThat((Long) query("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application
                    + "'")).isPositive();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((Long) query("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + application + "'")
                > 0) {
            assertThat(System.nanoTime()).as("own pool's connections closed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
