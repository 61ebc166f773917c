package io.pgdbm.testing;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Names;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.RollbackScope;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A migrated, isolated PostgreSQL database for each test (JUnit 5). Register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PgdbmTestDatabase db = PgdbmTestDatabase.create()
 *         .withModule("users", "db/users")                 // migrations from src/main/resources/db/users
 *         .withSql("users", "fixtures/users.sql");         // then a fixture
 *
 * @Test
 * void registers(@Module("users") ModuleDatabase users) {
 *     users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
 * }
 * }</pre>
 *
 * <p>The modules are migrated and the fixtures loaded once per JVM into a template database; each test then gets
 * {@code CREATE DATABASE ... TEMPLATE} of it, made ahead on a background thread with its pool open, and dropped on a
 * background thread after the test. Three modes:
 * <ul>
 *   <li>{@link #create()}: a fresh database per test method (the default);</li>
 *   <li>{@link #perClass()}: one database for the test class;</li>
 *   <li>{@link #rollback()}: one database for the class, and each test (its {@code @BeforeEach} methods included) in a
 *       transaction rolled back at the end, which code under test joins when it runs on the test's thread through a
 *       module of {@link #pgdbm()}.</li>
 * </ul>
 *
 * <p>Test methods and constructors can take {@code @Module("name") ModuleDatabase} (or a plain {@code ModuleDatabase}
 * when there is one module), {@link Pgdbm}, {@link DataSource}, this class and {@code @Injected String} (the JDBC
 * URL); fields annotated {@code @Module("name")} ({@code ModuleDatabase}) or {@link Injected} (the other types) are set
 * before each test. {@link #config()} gives the
 * {@code pgdbm.datasource.*} settings of the current database, which {@link PgdbmTestConfigSource} also serves to a
 * MicroProfile Config, so a CDI container started inside the test uses it:
 *
 * <pre>{@code
 * @EnableWeld
 * class UserRepositoryTest {
 *     @RegisterExtension
 *     static final PgdbmTestDatabase db = PgdbmTestDatabase.create().perClass();
 *     @WeldSetup
 *     WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
 *             .addExtension(new PgdbmExtension()).addBeanClasses(UserRepository.class)).build();
 * }
 * }</pre>
 *
 * <p>With a container, use {@link #perClass()}: weld-junit5 starts its container before this extension's per-test
 * set-up runs, and the container's modules run on a pool of its own, which a {@link #rollback()} scope does not
 * reach.
 */
public final class PgdbmTestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    /** How long each database lives. */
    private enum Mode { PER_METHOD, PER_CLASS, ROLLBACK }

    private final List<Setup.Module> modules = new ArrayList<>();
    private final List<Setup.Fixture> fixtures = new ArrayList<>();
    private Mode mode = Mode.PER_METHOD;
    private PgdbmTestServer server;
    private Template template;
    private volatile Template.Clone clone;
    private RollbackScope scope;

    private PgdbmTestDatabase() {
    }

    /** A database per test method, on {@link PgdbmTestServer#shared()}. */
    public static PgdbmTestDatabase create() {
        return new PgdbmTestDatabase();
    }

    /** Adds a module named like its schema, migrated from a classpath folder ({@code ""}: none). */
    public PgdbmTestDatabase withModule(String name, String migrations) {
        return withModule(name, name, migrations);
    }

    /** Adds a module in a schema of another name. Modules are migrated in the order they are added. */
    public PgdbmTestDatabase withModule(String name, String schema, String migrations) {
        if (!Names.isValid(name) || !Names.isValid(schema)) {
            throw new IllegalArgumentException("Module " + name + " in schema " + schema + ": " + Names.explain());
        }
        modules.add(new Setup.Module(name, schema, migrations));
        return this;
    }

    /** Runs a SQL file from the class path (templates expand for {@code module}) after the migrations. */
    public PgdbmTestDatabase withSql(String module, String classpathFile) {
        fixtures.add(new Setup.Fixture(known(module), classpathFile, null));
        return this;
    }

    /** Loads a CSV file with a header row into {@code module}'s {@code table} through COPY, after the migrations. */
    public PgdbmTestDatabase withCsv(String module, String table, String classpathFile) {
        if (!Names.isValid(table)) {
            throw new IllegalArgumentException("Table " + table + ": " + Names.explain());
        }
        fixtures.add(new Setup.Fixture(known(module), classpathFile, table));
        return this;
    }

    private String known(String module) {
        if (modules.stream().noneMatch(m -> m.name().equals(module))) {
            throw new IllegalArgumentException("No module " + module + " yet; add it with withModule first");
        }
        return module;
    }

    /** One database for the whole test class instead of one per method. */
    public PgdbmTestDatabase perClass() {
        mode = Mode.PER_CLASS;
        return this;
    }

    /** One database for the class, each test in a transaction that is rolled back after it. */
    public PgdbmTestDatabase rollback() {
        mode = Mode.ROLLBACK;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PgdbmTestServer.shared();
        template = Template.of(server, new Setup(modules, fixtures));
        if (mode != Mode.PER_METHOD) {
            open();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        if (mode == Mode.PER_METHOD) {
            open();
        }
        if (mode == Mode.ROLLBACK) {
            scope = current().openRollbackScope();
        }
        Optional<Object> instance = context.getTestInstance();
        if (instance.isPresent()) {
            injectFields(instance.get());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (scope != null) {
            scope.close();
            scope = null;
        }
        if (mode == Mode.PER_METHOD) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (mode != Mode.PER_METHOD) {
            close();
        }
    }

    private void open() {
        clone = template.take();
        PgdbmTestConfigSource.use(config());
    }

    private void close() {
        PgdbmTestConfigSource.use(null);
        Template.Clone finished = clone;
        clone = null;
        if (finished != null) {
            template.release(finished);
        }
    }

    private void injectFields(Object test) throws IllegalAccessException {
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Module module = field.getAnnotation(Module.class);
                if (module != null && field.getType() == ModuleDatabase.class) {
                    field.setAccessible(true);
                    field.set(test, module(module.value()));
                } else if (field.isAnnotationPresent(Injected.class)) {
                    field.setAccessible(true);
                    field.set(test, injected(field.getType(), field.toString()));
                }
            }
        }
    }

    /** What an {@link Injected} field or parameter of {@code type} gets. */
    private Object injected(Class<?> type, String where) {
        if (type == DataSource.class) {
            return dataSource();
        }
        if (type == Pgdbm.class) {
            return pgdbm();
        }
        if (type == PgdbmTestDatabase.class) {
            return this;
        }
        if (type == String.class) {
            return jdbcUrl();
        }
        throw new ParameterResolutionException(where + " is @Injected, but PgdbmTestDatabase fills only DataSource, "
                + "Pgdbm, PgdbmTestDatabase and String (the JDBC URL); for a module use @Module(\"name\") "
                + "ModuleDatabase");
    }

    /** The current database's module called {@code name}. */
    public ModuleDatabase module(String name) {
        return current().findModule(name).orElseThrow(() -> new IllegalArgumentException("No module " + name
                + " in this test database; modules: " + modules.stream().map(Setup.Module::name).toList()));
    }

    /** The current database's {@code Pgdbm} (its own pool). */
    public Pgdbm pgdbm() {
        return current();
    }

    public DataSource dataSource() {
        return current().dataSource();
    }

    /** The current database's JDBC URL (credentials: {@link PgdbmTestServer#username()}). */
    public String jdbcUrl() {
        return server.jdbcUrl(databaseName());
    }

    /** The current database's name ({@code pgdbm_test_...}). */
    public String databaseName() {
        current();
        return clone.name();
    }

    /**
     * The {@code pgdbm.datasource.*} settings that point pgdbm (a {@code DatabaseConfig}, or the CDI extension) at the
     * current database.
     */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pgdbm.datasource.url", jdbcUrl());
        config.put("pgdbm.datasource.username", server.username());
        if (server.password() != null) {
            config.put("pgdbm.datasource.password", server.password());
        }
        return config;
    }

    private Pgdbm current() {
        Template.Clone now = clone;
        if (now == null) {
            throw new IllegalStateException("No test database now: it exists while a test (or, with perClass() and "
                    + "rollback(), its class) runs; register PgdbmTestDatabase with @RegisterExtension on a static "
                    + "field");
        }
        return now.pgdbm();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ModuleDatabase.class || type == Pgdbm.class || type == DataSource.class
                || type == PgdbmTestDatabase.class || type == String.class && parameter.isAnnotated(Injected.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type != ModuleDatabase.class) {
            return injected(type, parameter.getParameter().toString());
        }
        Optional<Module> named = parameter.findAnnotation(Module.class);
        if (named.isPresent()) {
            return module(named.get().value());
        }
        if (modules.size() != 1) {
            throw new ParameterResolutionException("Parameter " + parameter.getParameter() + " needs @Module(\"...\") "
                    + "to say which module: the test database has " + modules.stream().map(Setup.Module::name)
                    .toList());
        }
        return module(modules.get(0).name());
    }
}
