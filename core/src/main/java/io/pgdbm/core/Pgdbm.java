package io.pgdbm.core;

import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.internal.EngineAccess;
import io.pgdbm.core.internal.engine.Engine;
import io.pgdbm.core.internal.pool.OwnedPool;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/**
 * One datasource and the modules on it: the entry point of the standalone engine.
 *
 * <p>Two modes, the same API afterwards:
 * <ul>
 *   <li>{@link #create(DatabaseConfig)} <b>owns a HikariCP pool</b>: it waits for the server at start-up (with the
 *       configured retries and backoff), sets the server-side timeouts on every connection, and closes the pool on
 *       {@link #close()}.</li>
 *   <li>{@link #wrap(DataSource)} <b>borrows a DataSource</b> (an application's pool, a container's): it never closes
 *       it, and leaves its settings alone.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Pgdbm pgdbm = Pgdbm.create(DatabaseConfig.builder().url("jdbc:postgresql://localhost/app").build())) {
 *     ModuleDatabase users = pgdbm.module("users");                 // schema "users"
 *     ModuleDatabase orders = pgdbm.module("orders", "shop_orders"); // module "orders" in schema "shop_orders"
 *     orders.useTransaction(tx -> {
 *         tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (?)", 42);
 *         users.execute("UPDATE {{tables.accounts}} SET orders = orders + 1 WHERE id = ?", 42); // same transaction
 *     });
 * }
 * }</pre>
 *
 * <p>Thread-safe. Modules of one DataSource share its transactions: a plain call on any of them, made on a thread
 * that has a transaction open on that DataSource, joins it, also when two {@code Pgdbm}s borrow the same DataSource.
 */
public final class Pgdbm implements AutoCloseable {

    static {
        EngineAccess.install(pgdbm -> pgdbm.engine);
    }

    /** Loaded once: looking them up costs a class-path scan. */
    private static final List<DataSourceProvider> PROVIDERS = ServiceLoader.load(DataSourceProvider.class,
            Pgdbm.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private final Engine engine;

    private Pgdbm(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts a pool pgdbm owns, for {@code config}'s URL; or, when a {@link DataSourceProvider} on the class path
     * supplies a DataSource for {@code config}, borrows that one.
     *
     * @throws ConfigurationException when the configuration has no URL
     * @throws ConnectionException when the server cannot be reached after the configured attempts, or refuses the
     *     login (not retried)
     */
    public static Pgdbm create(DatabaseConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.url().isEmpty()) {
            throw new ConfigurationException(ConfigKey.DATASOURCE_URL.key(), "pgdbm-" + config.name() + " - "
                    + ConfigKey.DATASOURCE_URL.key() + " is not set: give the URL of the database, e.g. "
                    + "jdbc:postgresql://localhost:5432/app, or borrow an existing pool with Pgdbm.wrap(dataSource)");
        }
        for (DataSourceProvider provider : PROVIDERS) {
            Optional<DataSource> provided = provider.dataSource(config);
            if (provided.isPresent()) {
                return new Pgdbm(new Engine(provided.get(), null, config));
            }
        }
        HikariDataSource pool = OwnedPool.start(config);
        return new Pgdbm(new Engine(pool, pool, config));
    }

    /** Borrows {@code dataSource} with default settings. {@link #close()} will not close it. */
    public static Pgdbm wrap(DataSource dataSource) {
        return wrap(dataSource, DatabaseConfig.builder().build());
    }

    /**
     * Borrows {@code dataSource}; {@code config} supplies the datasource's name and the settings that do not concern
     * the pool ({@code pgdbm.log-values}). Pool and connection settings are the DataSource owner's business.
     */
    public static Pgdbm wrap(DataSource dataSource, DatabaseConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        return new Pgdbm(new Engine(dataSource, null, config));
    }

    /**
     * Borrows a container's {@code dataSource}, whose connections take part in the container's transactions: work on a
     * thread inside one runs in it (pgdbm neither commits nor rolls back; {@code inTransaction} joins it; a failure
     * marks it rollback-only), and work outside one runs in pgdbm's own transactions as with
     * {@link #wrap(DataSource, DatabaseConfig)}.
     */
    public static Pgdbm wrap(DataSource dataSource, DatabaseConfig config, ContainerTransactions transactions) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(transactions, "transactions");
        return new Pgdbm(new Engine(dataSource, null, config, transactions));
    }

    /** The module called {@code name} in the schema of the same name. */
    public ModuleDatabase module(String name) {
        return module(name, name);
    }

    /**
     * The module called {@code name} in {@code schema}, created on first request; later requests with the same schema
     * return the same instance.
     *
     * @throws ConfigurationException when a name is not a valid identifier, or the module exists with another schema
     */
    public ModuleDatabase module(String name, String schema) {
        return engine.module(name, schema);
    }

    /** The module called {@code name}, if it has been created. */
    public Optional<ModuleDatabase> findModule(String name) {
        return engine.modules().stream().filter(module -> module.name().equals(name)).findFirst();
    }

    /** Every module created so far. */
    public List<ModuleDatabase> modules() {
        return engine.modules();
    }

    /** The DataSource: the owned pool, or the borrowed DataSource. */
    public DataSource dataSource() {
        return engine.dataSource();
    }

    /** Whether pgdbm owns the pool (and closes it). */
    public boolean ownsPool() {
        return engine.ownsPool();
    }

    /** The pool's state; empty for a borrowed DataSource that is not a HikariCP pool. */
    public Optional<PoolStats> poolStats() {
        return Optional.ofNullable(engine.poolStats());
    }

    public DatabaseConfig config() {
        return engine.config();
    }

    /**
     * Opens a transaction bound to the calling thread that every module of this {@code Pgdbm} joins there, until the
     * scope is closed, which rolls it all back. For tests: code under test that runs its own transactions runs them as
     * savepoints inside this one, and nothing it does is committed.
     *
     * <pre>{@code
     * try (RollbackScope scope = pgdbm.openRollbackScope()) {
     *     service.register("ada@example.com");          // uses its own injected ModuleDatabase: joins the scope
     *     assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(1L);
     * }                                                  // rolled back
     * }</pre>
     */
    public RollbackScope openRollbackScope() {
        return engine.openRollbackScope();
    }

    /**
     * Adds a listener that hears about every statement run through this datasource's modules, and every migration
     * file applied to it (metrics backends are listeners). With none added, statements pay no more than a clock read.
     */
    public void addListener(StatementListener listener) {
        engine.addListener(listener);
    }

    public void removeListener(StatementListener listener) {
        engine.removeListener(listener);
    }

    /**
     * The most recent statements (up to 100, oldest first) that took at least
     * {@link DatabaseConfig#slowQueryThreshold()}, with their SQL and, when {@code pgdbm.log-values} allows, their
     * values. Each was also logged at WARN by the logger {@code io.pgdbm.slow}.
     */
    public List<SlowQuery> slowQueries() {
        return engine.slowQueries();
    }

    /** Forgets the slow statements kept so far. */
    public void clearSlowQueries() {
        engine.clearSlowQueries();
    }

    /** Closes the owned pool. A borrowed DataSource stays open: its owner closes it. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "Pgdbm[" + engine.name() + (engine.ownsPool() ? ", owned pool" : ", borrowed DataSource") + "]";
    }
}
