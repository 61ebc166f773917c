package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A transaction belongs to its DataSource: every Pgdbm on that DataSource joins it, one a provider supplies too. */
@ExtendWith(PostgresDatabaseExtension.class)
class SharedDataSourceTest {

    /** Registered in this module's test {@code META-INF/services}: supplies the DataSources the tests put here. */
    public static final class ProvidedForTests implements DataSourceProvider {

        static final Map<String, DataSource> BY_URL = new ConcurrentHashMap<>();

        @Override
        public Optional<DataSource> dataSource(DatabaseConfig config) {
            return config.url().map(BY_URL::get);
        }
    }

    @Test
    void twoPgdbmsBorrowingOneDataSourceShareItsTransactions(TestDatabase database) {
        try (Pgdbm owner = Pgdbm.create(database.configBuilder().poolMaxSize(2).poolMinIdle(0).build())) {
            ModuleDatabase ledger = owner.module("ledger");
            ledger.execute("CREATE SCHEMA {{schema}}");
            ledger.execute("CREATE TABLE {{tables.entries}} (id int)");
            ModuleDatabase sameThroughAnother = Pgdbm.wrap(owner.dataSource()).module("ledger");

            try (RollbackScope scope = owner.openRollbackScope()) {
                sameThroughAnother.execute("INSERT INTO {{tables.entries}} VALUES (1)");
                assertThat(ledger.fetchValue("SELECT count(*) FROM {{tables.entries}}", Long.class)).isEqualTo(1L);
                assertThat(sameThroughAnother.isInTransaction()).isTrue();
            }

            assertThat(ledger.fetchValue("SELECT count(*) FROM {{tables.entries}}", Long.class)).isZero();
        }
    }

    @Test
    void createBorrowsTheDataSourceAProviderSuppliesAndJoinsItsTransactions(TestDatabase database) {
        String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "provided=1";
        try (Pgdbm owner = Pgdbm.create(database.configBuilder().poolMaxSize(2).poolMinIdle(0).build())) {
            ProvidedForTests.BY_URL.put(url, owner.dataSource());
            try {
                Pgdbm provided = Pgdbm.create(database.configBuilder().url(url).build());
                assertThat(provided.dataSource()).isSameAs(owner.dataSource());
                ModuleDatabase audit = provided.module("audit");
                audit.execute("CREATE SCHEMA {{schema}}");
                audit.execute("CREATE TABLE {{tables.events}} (id int)");

                try (RollbackScope scope = owner.openRollbackScope()) {
                    audit.execute("INSERT INTO {{tables.events}} VALUES (1)");
                }
                provided.close();

                assertThat(owner.module("audit").fetchValue("SELECT count(*) FROM {{tables.events}}", Long.class))
                        .as("rolled back with the owner's scope").isZero();
                assertThat(owner.module("audit").fetchValue("SELECT 1", Integer.class))
                        .as("closing the borrower left the pool open").isEqualTo(1);
            } finally {
                ProvidedForTests.BY_URL.remove(url);
            }
        }
    }
}
