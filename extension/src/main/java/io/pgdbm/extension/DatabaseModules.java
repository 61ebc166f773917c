package io.pgdbm.extension;

import io.pgdbm.ConfigurationException;
import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.core.ContainerTransactions;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.PoolStats;
import io.pgdbm.core.SlowQuery;
import io.pgdbm.core.migration.MigrationFile;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.core.migration.MigrationState;
import io.pgdbm.core.migration.MigrationStatus;
import io.pgdbm.core.migration.Migrator;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's modules, their datasources and their start-up migrations: one per container, injectable
 * ({@code @Inject DatabaseModules modules}) to list the modules, reach one by name, or see what start-up applied.
 *
 * <p>Started once when the container starts: it reads the configuration, opens or looks up each datasource the modules
 * use, and migrates the modules in {@code dependsOn} order. Own pools close when the container shuts down; borrowed
 * DataSources are never closed.
 */
public class DatabaseModules {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseModules.class);

    private List<ModuleDescriptor> descriptors;
    private volatile State state;

    /** For the container's client proxy only. */
    protected DatabaseModules() {
    }

    DatabaseModules(List<ModuleDescriptor> descriptors) {
        this.descriptors = List.copyOf(descriptors);
    }

    /** What {@link #start} built. */
    private record State(Map<String, Pgdbm> datasources, Map<String, String> labels,
            Map<String, ModuleDatabase> modules, Map<String, List<MigrationFile>> files, MigrationOptions options,
            List<MigrationResult> migrations, MetricsBackend metrics) {
    }

    /** The health probe running per datasource: a server that hangs ties up one thread, not one per check. */
    private final Map<String, CompletableFuture<String>> probes = new ConcurrentHashMap<>();

    /**
     * Opens the datasources and runs the start-up migrations; later calls do nothing.
     *
     * @param config the container's MicroProfile Config
     * @param lookup the container's beans, for DataSource beans
     * @throws PgdbmException ({@link ConfigurationException}, {@link MigrationException}, ...) when a datasource
     *     cannot be had or a migration fails; own pools opened so far are closed again
     */
    synchronized void start(Config config, Instance<Object> lookup) {
        if (state != null) {
            return;
        }
        PgdbmSettings settings = PgdbmSettings.read(config, descriptors);
        Map<String, Pgdbm> datasources = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        MetricsBackend metrics = settings.metricsEnabled() ? MetricsBackends.find(lookup) : null;
        JtaTransactions transactions = JtaTransactions.find(lookup);
        try {
            Map<String, ModuleDatabase> modules = new LinkedHashMap<>();
            for (ModuleDescriptor descriptor : descriptors) {
                Pgdbm pgdbm = datasources.get(descriptor.datasource());
                if (pgdbm == null) {
                    PgdbmSettings.DataSourceSettings source = settings.datasource(descriptor.datasource());
                    pgdbm = open(source, lookup, transactions);
                    datasources.put(descriptor.datasource(), pgdbm);
                    labels.put(descriptor.datasource(), source.label());
                    if (metrics != null) {
                        pgdbm.addListener(metrics);
                        metrics.pool(source.label(), pgdbm);
                    }
                }
                modules.put(descriptor.name(), pgdbm.module(descriptor.name(), settings.schemaOf(descriptor)));
            }
            Map<String, List<MigrationFile>> files = new LinkedHashMap<>();
            ClassLoader loader = classLoader();
            for (ModuleDescriptor descriptor : descriptors) {
                files.put(descriptor.name(), MigrationFiles.fromClasspath(descriptor.name(), descriptor.migrations(),
                        loader));
            }
            List<MigrationResult> migrations = new ArrayList<>();
            if (settings.migrateAtStart()) {
                for (ModuleDescriptor descriptor : descriptors) {
                    if (descriptor.migrations().isEmpty()) {
                        continue;
                    }
                    if (!settings.migrates(descriptor)) {
                        LOG.info("pgdbm - {}: migrations switched off by pgdbm.module.\"{}\".migrate=false",
                                descriptor.name(), descriptor.name());
                        continue;
                    }
                    MigrationResult result = new Migrator(datasources.get(descriptor.datasource()),
                            modules.get(descriptor.name()), files.get(descriptor.name()),
                            settings.migrationOptions()).migrate();
                    migrations.add(result);
                    LOG.info("pgdbm - {}", describe(result));
                }
            } else {
                LOG.info("pgdbm - migrations at start-up are switched off (pgdbm.migrate.at-start=false)");
            }
            state = new State(Map.copyOf(datasources), Map.copyOf(labels), modules, files,
                    settings.migrationOptions(), List.copyOf(migrations), metrics);
        } catch (RuntimeException e) {
            if (metrics != null) {
                labels.values().forEach(metrics::removePool);
            }
            datasources.values().forEach(Pgdbm::close);
            throw e;
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DatabaseModules.class.getClassLoader();
    }

    private static String describe(MigrationResult result) {
        if (result.upToDate()) {
            return result.module() + ": up to date (" + result.skipped().size() + " migration(s) applied before)";
        }
        return result.module() + ": applied " + result.applied().stream()
                .map(file -> file.filename() + " (" + file.millis() + "ms)").collect(Collectors.joining(", "))
                + " into schema " + result.schema() + " in " + result.totalMillis() + "ms";
    }

    /** The datasource's {@code Pgdbm}: an own pool, a JNDI DataSource, a named bean or the default bean, in that order. */
    private static Pgdbm open(PgdbmSettings.DataSourceSettings settings, Instance<Object> lookup,
            JtaTransactions transactions) {
        List<String> given = new ArrayList<>();
        for (String source : List.of("url", "jndi", "bean")) {
            settings.get(source).ifPresent(value -> given.add(settings.key(source)));
        }
        if (given.size() > 1) {
            throw new ConfigurationException(given.get(0), "Datasource " + settings.label() + " is given by "
                    + String.join(" and ", given) + "; set only one of them");
        }
        Optional<String> url = settings.get("url");
        if (url.isPresent()) {
            if (transactions != null) {
                LOG.warn("pgdbm - datasource {} is a pool of pgdbm's own ({}), so its work cannot take part in the "
                        + "container's transactions: inside @Transactional it commits and rolls back on its own. To "
                        + "share the container's transactions, give pgdbm the container's DataSource with {} or {} "
                        + "instead", settings.label(), settings.key("url"), settings.key("jndi"), settings.key("bean"));
            }
            return Pgdbm.create(settings.toConfig(true));
        }
        Optional<String> jndi = settings.get("jndi");
        if (jndi.isPresent()) {
            return borrow(lookupJndi(settings, jndi.get()), settings,
                    transactions == null ? null : transactions.forServerDataSource());
        }
        Optional<String> bean = settings.get("bean");
        if (bean.isPresent()) {
            Instance<DataSource> named = lookup.select(DataSource.class, NamedLiteral.of(bean.get()));
            return borrow(resolve(named, settings.key("bean"), () -> "no DataSource bean is @Named(\""
                    + bean.get() + "\")"), settings, transactions);
        }
        if (settings.name().isEmpty()) {
            Instance<DataSource> any = lookup.select(DataSource.class);
            if (!any.isUnsatisfied()) {
                return borrow(resolve(any, "pgdbm.datasource.bean", () -> ""), settings, transactions);
            }
        }
        throw new ConfigurationException(settings.key("url"), "No DataSource for "
                + (settings.name().isEmpty() ? "pgdbm's default datasource" : "datasource " + settings.name())
                + ": set " + settings.key("url") + " (pgdbm opens its own pool), " + settings.key("jndi")
                + " (the container's DataSource at that JNDI name) or " + settings.key("bean")
                + " (the @Named DataSource bean)" + (settings.name().isEmpty()
                        ? ", or make the application's DataSource available as a CDI bean" : ""));
    }

    /** The container's DataSource, taking part in the container's transactions when it has a transaction manager. */
    private static Pgdbm borrow(DataSource dataSource, PgdbmSettings.DataSourceSettings settings,
            ContainerTransactions transactions) {
        return transactions == null ? Pgdbm.wrap(dataSource, settings.toConfig(false))
                : Pgdbm.wrap(dataSource, settings.toConfig(false), transactions);
    }

    private static DataSource resolve(Instance<DataSource> candidates, String key, Supplier<String> none) {
        if (candidates.isUnsatisfied()) {
            throw new ConfigurationException(key, key + ": " + none.get());
        }
        if (candidates.isAmbiguous()) {
            throw new ConfigurationException(key, "There are several DataSource beans ("
                    + candidates.handlesStream().map(handle -> handle.getBean().getBeanClass().getName()
                            + handle.getBean().getQualifiers()).collect(Collectors.joining(", "))
                    + "); name the one pgdbm uses with " + key);
        }
        return candidates.get();
    }

    private static DataSource lookupJndi(PgdbmSettings.DataSourceSettings settings, String name) {
        String key = settings.key("jndi");
        try {
            Object found = new InitialContext().lookup(name);
            if (found instanceof DataSource dataSource) {
                return dataSource;
            }
            throw new ConfigurationException(key, key + ": " + name + " is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource");
        } catch (NamingException e) {
            throw new ConfigurationException(key, key + ": no DataSource is bound at JNDI name " + name + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check the server's datasource "
                    + "definition");
        }
    }

    private State started() {
        State current = state;
        if (current == null) {
            throw new IllegalStateException("pgdbm's modules are not started yet: the container starts them after "
                    + "deployment validation");
        }
        return current;
    }

    /** The module called {@code name}. */
    public ModuleDatabase module(String name) {
        ModuleDatabase module = started().modules().get(name);
        if (module == null) {
            throw new IllegalArgumentException("No module " + name + "; modules: " + names());
        }
        return module;
    }

    /** Every module's name, each after the modules it depends on. */
    public List<String> names() {
        return descriptors.stream().map(ModuleDescriptor::name).toList();
    }

    /** Every module as the application declared it, each after the modules it depends on. */
    public List<ModuleDescriptor> descriptors() {
        return descriptors;
    }

    /** What the start-up migrations did, one result per migrated module, in the order they ran. */
    public List<MigrationResult> startupMigrations() {
        return started().migrations();
    }

    /**
     * Whether a datasource answers: a connection and {@code SELECT 1} within {@code timeout}.
     *
     * @param datasource the datasource's name, empty for the default one
     * @return {@code null} when it answered, else what went wrong
     */
    String datasourceProblem(String datasource, Duration timeout) {
        Pgdbm pgdbm = started().datasources().get(datasource);
        if (pgdbm == null) {
            return "no modules use this datasource";
        }
        return probe("datasource " + datasource, pgdbm, timeout, () -> {
            try (Connection connection = pgdbm.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                statement.execute("SELECT 1");
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
    }

    /**
     * Runs a health probe on a daemon thread of its own (a server that does not answer must not tie up a shared
     * pool's threads) and waits for it at most {@code timeout}. While a probe of the same key still runs, a new check
     * waits for that one instead of starting another, so a hanging server holds one thread per probe, not one per
     * check.
     *
     * @return {@code null} when the probe found nothing wrong, else what it found
     */
    private String probe(String key, Pgdbm pgdbm, Duration timeout, Supplier<String> check) {
        CompletableFuture<String> running = probes.compute(key, (k, previous) -> {
            if (previous != null && !previous.isDone()) {
                return previous;
            }
            CompletableFuture<String> next = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    next.complete(check.get());
                } catch (RuntimeException e) {
                    next.complete(e.getMessage());
                }
            }, "pgdbm-health-" + pgdbm.config().name());
            thread.setDaemon(true);
            thread.start();
            return next;
        });
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + timeout.toMillis() + "ms";
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Whether a module's migrations are all applied, as the deployment's settings count them: a changed or missing
     * file the settings allow does not make the module unready; a pending one does. Answers within {@code timeout}.
     *
     * @return {@code null} when they are, else the files that are not, with their state
     */
    String migrationProblem(String module, Duration timeout) {
        State current = started();
        ModuleDescriptor descriptor = descriptors.stream().filter(d -> d.name().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No module " + module));
        Pgdbm pgdbm = current.datasources().get(descriptor.datasource());
        MigrationOptions options = current.options();
        return probe("module " + module, pgdbm, timeout, () -> {
            List<MigrationStatus> statuses;
            try {
                statuses = new Migrator(pgdbm, current.modules().get(module), current.files().get(module), options)
                        .status();
            } catch (RuntimeException e) {
                return "cannot read the migration history: " + e.getMessage();
            }
            String problems = statuses.stream().filter(status -> !isReady(status.state(), options))
                    .map(status -> status.filename() + " " + status.state().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            return problems.isEmpty() ? null : problems;
        });
    }

    private static boolean isReady(MigrationState state, MigrationOptions options) {
        return switch (state) {
            case APPLIED -> true;
            case CHANGED -> options.allowChanged();
            case MISSING -> options.allowMissing();
            case PENDING, OUT_OF_ORDER -> false;
        };
    }

    /** The recent slow statements of every datasource, oldest first. */
    public List<SlowQuery> slowQueries() {
        return started().datasources().values().stream().flatMap(pgdbm -> pgdbm.slowQueries().stream())
                .sorted(Comparator.comparing(SlowQuery::at)).toList();
    }

    /**
     * The state of each datasource's pool, by datasource name ({@code ""} for the default one), for the pools whose
     * state can be read (pgdbm's own HikariCP pools, a borrowed HikariCP pool).
     */
    public Map<String, PoolStats> poolStats() {
        Map<String, PoolStats> stats = new LinkedHashMap<>();
        started().datasources().forEach((name, pgdbm) -> pgdbm.poolStats().ifPresent(pool -> stats.put(name, pool)));
        return stats;
    }

    /** Closes the pools pgdbm opened; borrowed DataSources stay open. */
    synchronized void close() {
        State current = state;
        state = null;
        if (current == null) {
            return;
        }
        if (current.metrics() != null) {
            current.labels().values().forEach(current.metrics()::removePool);
        }
        for (Map.Entry<String, Pgdbm> datasource : current.datasources().entrySet()) {
            try {
                datasource.getValue().close();
            } catch (RuntimeException e) {
                LOG.warn("pgdbm - closing datasource {} failed", datasource.getKey(), e);
            }
        }
    }
}
