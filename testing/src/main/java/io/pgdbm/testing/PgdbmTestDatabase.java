package io.pgdbm.testing;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Names;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.RollbackScope;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A migrated, isolated PostgreSQL database for each test (JUnit 5). Register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PgdbmTestDatabase db = PgdbmTestDatabase.create()
 *         .withModule("users", "db/users")                 // migrations from src/test/resources/db/users
 *         .withSql("users", "fixtures/users.sql");         // then a fixture
 *
 * @Test
 * void registers(@Injected ModuleDatabase users) {      // @Injected @Module("users") when there are several
 *     users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
 * }
 * }</pre>
 *
 * <p>The modules are migrated and the fixtures loaded once per JVM into a template database; each test then gets
 * {@code CREATE DATABASE ... TEMPLATE} of it, made ahead on a background thread with its pool open, and dropped on a
 * background thread after the test. Three modes:
 * <ul>
 *   <li>{@link #create()}: a fresh database per test method (the default);</li>
 *   <li>{@link #perClass()}: one database for the test class and its {@code @Nested} classes;</li>
 *   <li>{@link #rollback()}: one database for the class, and each test (its {@code @BeforeEach} methods included) in a
 *       transaction rolled back at the end, which code under test joins when it runs on the test's thread: through a
 *       module of {@link #pgdbm()}, or through a CDI container's modules (below).</li>
 * </ul>
 *
 * <p><b>Injection</b> is explicit: this extension fills the test fields and the test method (or constructor)
 * parameters annotated {@link Injected}, and nothing else, so it never competes with another parameter resolver (a
 * CDI container's, say weld-junit5's, which fills {@code @Inject} fields and unannotated parameters). An
 * {@code @Injected} {@code ModuleDatabase} is the module named by its {@code @Module("name")}, or the only module;
 * {@link Pgdbm}, {@link DataSource} and this class are the current database's; a {@code String} is its JDBC URL.
 *
 * <p>{@link #config()} gives the {@code pgdbm.datasource.*} settings of the current database, which
 * {@link PgdbmTestConfigSource} also serves to a MicroProfile Config, so a CDI container started inside the test uses
 * it:
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
 * <p>The container's modules then run on the test database's own pool ({@link TestDataSources}), so they open no
 * second pool and join the test's transactions: with {@link #rollback()}, what the code under test writes through its
 * injected {@code ModuleDatabase} is rolled back after each test too. Use {@link #perClass()} or {@link #rollback()}
 * with a container: weld-junit5 starts its container before this extension's per-test set-up runs, so in the default
 * mode the container would not see the test's database; it fails to start, with a message that says so.
 *
 * <p><b>Parallel execution</b>: test classes may run concurrently, each with its own {@code PgdbmTestDatabase}. The
 * tests of one class may run concurrently only in {@link #perClass()} mode (they share its database); in the other
 * modes a test that starts while another holds the database fails, saying to annotate the class
 * {@code @Execution(ExecutionMode.SAME_THREAD)}. {@link PgdbmTestConfigSource} serves the database of the test that
 * started last, so CDI tests whose containers read it should not run concurrently.
 */
public final class PgdbmTestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    /** How long each database lives. */
    private enum Mode {
        PER_METHOD("create() (a database per test)"),
        PER_CLASS("perClass()"),
        ROLLBACK("rollback()");

        private final String description;

        Mode(String description) {
            this.description = description;
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PgdbmTestDatabase.class);
    /** Store key of a test that holds the database (per-method and rollback modes). */
    private static final String HOLDS_DATABASE = "holdsDatabase";

    private final List<Setup.Module> modules = new ArrayList<>();
    private final List<Setup.Fixture> fixtures = new ArrayList<>();
    private Mode mode = Mode.PER_METHOD;
    private PgdbmTestServer server;
    private Template template;
    private volatile Template.Clone clone;
    /** Per-class modes: the unique ID and name of the class that took the database. */
    private String ownerId;
    private String ownerName;
    private RollbackScope scope;
    /** The settings this instance's database serves to a CDI container, while it has one. */
    private Map<String, String> served;
    /** Per-method mode: the unique ID and simple name of the class whose thread is watched between its tests. */
    private String watchedId;
    private String watchedName;
    /** Per-method and rollback modes: the test that holds the database now. */
    private final AtomicReference<String> runningTest = new AtomicReference<>();

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

    /** One database for the whole test class (and its {@code @Nested} classes) instead of one per method. */
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
    public synchronized void beforeAll(ExtensionContext context) {
        if (template == null) {
            server = PgdbmTestServer.shared();
            template = Template.of(server, new Setup(modules, fixtures));
        }
        if (mode == Mode.PER_METHOD) {
            if (watchedId == null) {
                watchedId = context.getUniqueId();
                watchedName = context.getRequiredTestClass().getSimpleName();
                CurrentSettings.watchThread(this::noDatabaseBetweenTests);
            }
            return;
        }
        if (clone == null) {
            open();
            ownerId = context.getUniqueId();
            ownerName = context.getDisplayName();
            return;
        }
        // JUnit calls beforeAll again for each @Nested class, on the same instance: those share the database.
        if (!isWithin(context, ownerId)) {
            throw new ExtensionConfigurationException("PgdbmTestDatabase (" + mode.description + ") is giving its "
                    + "database to " + ownerName + " when " + context.getDisplayName() + " starts: one registered "
                    + "instance serves one test class at a time (and its @Nested classes). Give each class a static "
                    + "field of its own, or do not run these classes concurrently.");
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (mode == Mode.PER_METHOD && context.getUniqueId().equals(watchedId)) {
            watchedId = null;
            CurrentSettings.unwatchThread();
        }
        if (mode != Mode.PER_METHOD && context.getUniqueId().equals(ownerId)) {
            ownerId = null;
            ownerName = null;
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Optional<Object> instance = context.getTestInstance();
        if (template == null) {
            throw new ExtensionConfigurationException(nonStaticMessage(context, instance.orElse(null)));
        }
        if (instance.isPresent()) {
            requireInjectedModuleFields(instance.get());
        }
        if (mode != Mode.PER_CLASS) {
            String test = describe(context);
            String other = runningTest.compareAndExchange(null, test);
            if (other != null) {
                throw new ExtensionConfigurationException("PgdbmTestDatabase (" + mode.description + ") is in use "
                        + "by " + other + " when " + test + " starts: tests of one class run concurrently (JUnit "
                        + "parallel execution), and in this mode one registered PgdbmTestDatabase serves one test at a "
                        + "time. Annotate the class @Execution(ExecutionMode.SAME_THREAD), or use perClass(), whose "
                        + "tests share one database.");
            }
            context.getStore(NAMESPACE).put(HOLDS_DATABASE, test);
        }
        if (mode == Mode.PER_METHOD) {
            open();
        }
        if (mode == Mode.ROLLBACK) {
            scope = current().pgdbm().openRollbackScope();
        }
        if (instance.isPresent()) {
            injectFields(instance.get());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getStore(NAMESPACE).remove(HOLDS_DATABASE) == null) {
            return;
        }
        try {
            if (scope != null) {
                RollbackScope finished = scope;
                scope = null;
                finished.close();
            }
        } finally {
            try {
                if (mode == Mode.PER_METHOD) {
                    close();
                }
            } finally {
                runningTest.set(null);
            }
        }
    }

    private void open() {
        clone = template.take();
        served = config();
        CurrentSettings.use(served);
        TestDataSources.add(jdbcUrl(), dataSource());
    }

    private void close() {
        if (served != null) {
            CurrentSettings.release(served);
            served = null;
        }
        Template.Clone finished = clone;
        clone = null;
        if (finished != null) {
            TestDataSources.remove(server.jdbcUrl(finished.name()));
            template.release(finished);
        }
    }

    /**
     * Per-method mode: why a CDI container that starts now, between the class's tests, cannot run on a test database
     * ({@code null} while a test holds one). weld-junit5 starts its container in its own {@code beforeEach}, which
     * runs before this extension's, so the container would find no database and pgdbm would say only that no
     * datasource is configured.
     */
    private String noDatabaseBetweenTests() {
        if (clone != null) {
            return null;
        }
        return "PgdbmTestDatabase.create() of " + watchedName + " gives each test its own database, which exists "
                + "only from that test's own set-up on, and a CDI container asked for pgdbm.datasource.url before "
                + "it (weld-junit5's @EnableWeld starts its container before each test's set-up). Register "
                + "PgdbmTestDatabase.create().perClass() (one database for the class) or .rollback() (one database, "
                + "each test rolled back) for a test with a container, or start the container inside the test";
    }

    private static boolean isWithin(ExtensionContext context, String ancestorId) {
        for (Optional<ExtensionContext> at = context.getParent(); at.isPresent(); at = at.get().getParent()) {
            if (at.get().getUniqueId().equals(ancestorId)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ExtensionContext context) {
        return context.getTestClass().map(Class::getSimpleName).map(name -> name + " ").orElse("")
                + context.getDisplayName();
    }

    private String nonStaticMessage(ExtensionContext context, Object instance) throws IllegalAccessException {
        String field = "a non-static field";
        for (Class<?> type = instance == null ? Object.class : instance.getClass(); type != Object.class;
                type = type.getSuperclass()) {
            for (Field candidate : type.getDeclaredFields()) {
                if (candidate.getType() == PgdbmTestDatabase.class && !Modifier.isStatic(candidate.getModifiers())) {
                    candidate.setAccessible(true);
                    if (candidate.get(instance) == this) {
                        field = "the non-static field " + type.getSimpleName() + "." + candidate.getName();
                    }
                }
            }
        }
        return "PgdbmTestDatabase in " + field + " has no database for " + describe(context) + ": JUnit calls "
                + "beforeAll, where it builds the template, only for an extension in a static field. Declare it "
                + "@RegisterExtension static final PgdbmTestDatabase db = PgdbmTestDatabase.create()...";
    }

    /** A {@code @Module} field without {@code @Injected} (nor {@code @Inject}) would stay null: say so at once. */
    private static void requireInjectedModuleFields(Object test) {
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(Module.class) && !field.isAnnotationPresent(Injected.class)
                        && !isInjectAnnotated(field)) {
                    throw new ExtensionConfigurationException("Field " + type.getSimpleName() + "." + field.getName()
                            + " is @Module but not @Injected, so nothing fills it: PgdbmTestDatabase fills only "
                            + "@Injected fields (a CDI container fills @Inject ones). Add @Injected.");
                }
            }
        }
    }

    private static boolean isInjectAnnotated(Field field) {
        for (Annotation annotation : field.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (name.equals("jakarta.inject.Inject") || name.equals("javax.inject.Inject")) {
                return true;
            }
        }
        return false;
    }

    private void injectFields(Object test) throws IllegalAccessException {
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(Injected.class)) {
                    field.setAccessible(true);
                    field.set(test, injected(field.getType(), field.getAnnotation(Module.class),
                            "Field " + type.getSimpleName() + "." + field.getName()));
                }
            }
        }
    }

    /** What an {@link Injected} field or parameter of {@code type} gets. */
    private Object injected(Class<?> type, Module module, String where) {
        if (type == ModuleDatabase.class) {
            return module != null ? module(module.value()) : onlyModule(where);
        }
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
        throw new ExtensionConfigurationException(where + " is @Injected, but PgdbmTestDatabase fills only "
                + "ModuleDatabase (with @Module(\"name\") when there are several modules), DataSource, Pgdbm, "
                + "PgdbmTestDatabase and String (the JDBC URL), not " + type.getName());
    }

    private ModuleDatabase onlyModule(String where) {
        if (modules.size() != 1) {
            throw new ExtensionConfigurationException(where + " needs @Module(\"...\") to say which module: the test "
                    + "database has " + (modules.isEmpty() ? "none (add them with withModule)"
                    : modules.stream().map(Setup.Module::name).toList()));
        }
        return module(modules.get(0).name());
    }

    /** The current database's module called {@code name}. */
    public ModuleDatabase module(String name) {
        return current().pgdbm().findModule(name).orElseThrow(() -> new IllegalArgumentException("No module " + name
                + " in this test database; modules: " + modules.stream().map(Setup.Module::name).toList()));
    }

    /** The current database's {@code Pgdbm} (its own pool). */
    public Pgdbm pgdbm() {
        return current().pgdbm();
    }

    public DataSource dataSource() {
        return current().pgdbm().dataSource();
    }

    /** The current database's JDBC URL (credentials: {@link PgdbmTestServer#username()}). */
    public String jdbcUrl() {
        return server.jdbcUrl(current().name());
    }

    /** The current database's name ({@code pgdbm_test_...}). */
    public String databaseName() {
        return current().name();
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

    private Template.Clone current() {
        Template.Clone now = clone;
        if (now == null) {
            throw new IllegalStateException("No test database now: it exists while a test (or, with perClass() and "
                    + "rollback(), its class) runs; register PgdbmTestDatabase with @RegisterExtension on a static "
                    + "field");
        }
        return now;
    }

    /** Only parameters annotated {@link Injected}: others are left to other resolvers (a CDI container's). */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(Injected.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return injected(parameter.getParameter().getType(), parameter.findAnnotation(Module.class).orElse(null),
                "Parameter " + parameter.getIndex() + " (" + parameter.getParameter().getType().getSimpleName()
                        + ") of " + parameter.getDeclaringExecutable().getName());
    }
}
