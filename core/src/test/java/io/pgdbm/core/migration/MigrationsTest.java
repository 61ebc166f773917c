package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresDatabaseExtension.class)
class MigrationsTest {

    private static Pgdbm pgdbm;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(6).poolMinIdle(0).build());
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
    }

    /** A module named {@code name} in schema {@code schema}, with the given files, depending on {@code dependsOn}. */
    private ModuleMigrations module(String name, String schema, List<String> dependsOn, String... files)
            throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < files.length; i++) {
            Files.writeString(folder.resolve((i + 1) + "_" + name + ".sql"), files[i]);
        }
        ModuleDatabase module = pgdbm.findModule(name).orElseGet(() -> pgdbm.module(name, schema));
        return new ModuleMigrations(pgdbm, module, MigrationFiles.fromDirectory(name, folder), dependsOn);
    }

    @Test
    void modulesMigrateAfterTheModulesTheyDependOn() throws IOException {
        ModuleMigrations billing = module("billing", "billing", List.of("orders", "users"),
                "CREATE TABLE {{tables.invoices}} (order_id int REFERENCES {{tables.orders.orders}} (id));");
        ModuleMigrations orders = module("orders", "orders", List.of("users"),
                "CREATE TABLE {{tables.orders}} (id int PRIMARY KEY, account int REFERENCES "
                        + "{{tables.users.accounts}} (id));");
        ModuleMigrations users = module("users", "people", List.of(),
                "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);");

        assertThat(Migrations.inDependencyOrder(List.of(billing, orders, users)))
                .extracting(ModuleMigrations::name).containsExactly("users", "orders", "billing");

        List<MigrationResult> results = Migrations.migrateAll(List.of(billing, orders, users),
                MigrationOptions.defaults());

        assertThat(results).extracting(MigrationResult::module).containsExactly("users", "orders", "billing");
        assertThat(results).allSatisfy(result -> assertThat(result.applied()).hasSize(1));
        assertThat(users.module().fetchValue("SELECT to_regclass('people.accounts') IS NOT NULL",
                Boolean.class)).isTrue();

        List<MigrationResult> again = Migrations.migrateAll(List.of(billing, orders, users),
                MigrationOptions.defaults());
        assertThat(again).allSatisfy(result -> assertThat(result.applied()).isEmpty());
    }

    @Test
    void independentModulesKeepTheOrderGiven() throws IOException {
        ModuleMigrations c = module("c_mod", "c_mod", List.of());
        ModuleMigrations a = module("a_mod", "a_mod", List.of("c_mod"));
        ModuleMigrations b = module("b_mod", "b_mod", List.of());

        assertThat(Migrations.inDependencyOrder(List.of(a, b, c))).extracting(ModuleMigrations::name)
                .containsExactly("b_mod", "c_mod", "a_mod");
    }

    @Test
    void unknownDependencyCycleAndTwiceGivenModuleAreErrorsNamingTheModules() throws IOException {
        ModuleMigrations shop = module("shop", "shop", List.of("catalog"));
        ModuleMigrations catalog = module("catalog", "catalog", List.of("stock"));
        ModuleMigrations stock = module("stock", "stock", List.of("shop"));
        ModuleMigrations reports = module("reports", "reports", List.of("warehouse"));
        ModuleMigrations loner = module("loner", "loner", List.of("loner"));

        assertThatThrownBy(() -> Migrations.inDependencyOrder(List.of(shop, reports, catalog)))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Module reports depends on warehouse, which is not a module here (modules: [shop, "
                        + "reports, catalog]); add module warehouse or remove it from dependsOn of reports")
                .satisfies(e -> assertThat(((MigrationException) e).module()).isEqualTo("reports"));
        assertThatThrownBy(() -> Migrations.inDependencyOrder(List.of(shop)))
                .hasMessage("Module shop depends on catalog, which is not a module here (modules: [shop]); "
                        + "add module catalog or remove it from dependsOn of shop");
        assertThatThrownBy(() -> Migrations.migrateAll(List.of(shop, catalog, stock), MigrationOptions.defaults()))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Modules depend on each other in a cycle: shop -> catalog -> stock -> shop (each depends "
                        + "on the next); remove one of these dependsOn entries");
        assertThatThrownBy(() -> Migrations.inDependencyOrder(List.of(loner)))
                .hasMessageContaining("cycle: loner -> loner");
        assertThatThrownBy(() -> Migrations.inDependencyOrder(List.of(loner, loner)))
                .hasMessage("Module loner is given twice; give each module once");
        assertThat(pgdbm.module("shop").fetchValue("SELECT count(*) FROM pg_namespace WHERE nspname IN "
                + "('shop', 'catalog', 'stock')", Long.class)).isZero();
    }

    @Test
    void aFailingModuleStopsTheRunAndTheModulesAfterItDoNotStart() throws IOException {
        ModuleMigrations base = module("base", "base", List.of(),
                "CREATE TABLE {{tables.things}} (id int);", "CREATE TABLE {{tables.broken}} (id int, id int);");
        ModuleMigrations derived = module("derived", "derived", List.of("base"),
                "CREATE TABLE {{tables.others}} (id int);");

        assertThatThrownBy(() -> Migrations.migrateAll(List.of(derived, base), MigrationOptions.defaults()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("base - migration 2_base.sql failed in the statement starting on line 1: "
                        + "column \"id\" specified more than once [SQLState 42701]");
        ModuleDatabase db = pgdbm.module("base");
        assertThat(db.fetchAll("SELECT filename FROM {{tables.schema_migrations}}", String.class))
                .containsExactly("1_base.sql");
        assertThat(db.fetchValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'derived'", Long.class)).isZero();
    }

    @Test
    void differentModulesMigrateInParallel() throws Exception {
        ModuleMigrations slow = module("slow", "slow", List.of(),
                "CREATE TABLE {{tables.waits}} (id int);\nSELECT pg_sleep(6);");
        ModuleMigrations quick = module("quick", "quick", List.of(), "CREATE TABLE {{tables.runs}} (id int);");

        CompletableFuture<MigrationResult> slowRun = CompletableFuture.supplyAsync(
                () -> slow.migrator(MigrationOptions.defaults()).migrate());
        ModuleDatabase probe = quick.module();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (probe.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(6)%'",
                Long.class) == 0) {
            assertThat(System.nanoTime()).as("slow module's migration started").isLessThan(deadline);
            Thread.sleep(20);
        }

        MigrationResult quickResult = quick.migrator(MigrationOptions.defaults().withLockWait(java.time.Duration.ZERO))
                .migrate();

        assertThat(quickResult.applied()).hasSize(1);
        assertThat(slowRun).as("the slow module is still migrating when the quick one is done").isNotDone();
        assertThat(slowRun.get(60, TimeUnit.SECONDS).applied()).hasSize(1);
    }
}
