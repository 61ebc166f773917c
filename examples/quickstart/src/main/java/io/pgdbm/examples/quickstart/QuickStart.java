package io.pgdbm.examples.quickstart;

import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.DatabaseModules;
import io.pgdbm.extension.ModuleDescriptor;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * pgdbm in a CDI application: two {@code @DatabaseModule} beans ({@link Accounts}, {@link Orders}), configured by
 * {@code META-INF/microprofile-config.properties}, migrated when the container starts, and a transaction across
 * both.
 *
 * <p>With no {@code pgdbm.datasource.url} configured it starts an embedded PostgreSQL and points pgdbm at it, so there
 * is nothing to install. From the root of the repository: {@code mvn -q -pl examples/quickstart -am compile exec:java}.
 */
public final class QuickStart {

    private static final String URL = "pgdbm.datasource.url";

    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        run(System.out);
    }

    /** Runs the quick start, printing what it does to {@code out}. */
    public static void run(PrintStream out) throws IOException {
        boolean configured = new SmallRyeConfigBuilder().addDefaultSources().addDiscoveredSources().build()
                .getOptionalValue(URL, String.class).isPresent();
        EmbeddedPostgres postgres = configured ? null
                : EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        try {
            if (postgres != null) {
                // System properties outrank the properties file: the embedded server's address wins for this run.
                System.setProperty(URL, "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
                System.setProperty("pgdbm.datasource.username", "postgres");
                out.println("postgres: embedded PostgreSQL on port " + postgres.getPort());
            }
            // Boots CDI (Weld here): discovery finds Accounts and Orders, pgdbm's extension migrates both.
            try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
                report(container.select(DatabaseModules.class).get(), out);
                useTheModules(container.select(Accounts.class).get(), container.select(Orders.class).get(), out);
            }
            out.println("pgdbm: container stopped, pool closed");
        } finally {
            if (postgres != null) {
                System.clearProperty(URL);
                System.clearProperty("pgdbm.datasource.username");
                ConfigProviderResolver.instance().releaseConfig(ConfigProvider.getConfig());
                postgres.close();
                out.println("postgres: server stopped");
            }
        }
    }

    private static void report(DatabaseModules modules, PrintStream out) {
        for (ModuleDescriptor module : modules.descriptors()) {
            out.println("pgdbm: module " + module.name() + " in schema " + modules.module(module.name()).schema()
                    + (module.dependsOn().isEmpty() ? "" : ", after " + String.join(", ", module.dependsOn())));
        }
        for (MigrationResult result : modules.startupMigrations()) {
            out.println("pgdbm: migrated " + result.module() + ": " + (result.upToDate() ? "up to date"
                    : result.applied().stream().map(file -> file.filename() + " (" + file.millis() + "ms)")
                            .collect(Collectors.joining(", "))));
        }
    }

    private static void useTheModules(Accounts accounts, Orders orders, PrintStream out) {
        long ada = accounts.create("ada-" + System.currentTimeMillis() + "@example.com");
        long alan = accounts.create("alan-" + System.currentTimeMillis() + "@example.com");
        out.println("users: created accounts " + ada + " and " + alan);

        long order = orders.place(ada, "keyboard", false);
        out.println("orders+users: committed order " + order + " keyboard; account " + ada + " now has "
                + accounts.get(ada).orderCount() + " order(s)");

        try {
            orders.place(alan, "monitor", true);
        } catch (IllegalStateException e) {
            out.println("orders+users: rolled back order monitor for account " + alan + " (" + e.getMessage()
                    + "): " + orders.countFor(alan) + " order(s) in orders, order_count "
                    + accounts.get(alan).orderCount() + " in users");
        }
        for (Orders.PlacedOrder placed : orders.all()) {
            out.println("orders: read " + placed);
        }
    }
}
