package io.pgdbm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseModule;
import io.pgdbm.quarkus.deployment.app.OrdersModule;
import io.pgdbm.quarkus.deployment.app.UsersModule;
import java.io.IOException;
import java.util.function.Predicate;
import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

/** Which folders dev mode watches, and which files in them count as migrations. */
class MigrationFoldersTest {

    @DatabaseModule(schema = "audit")
    static class WithoutMigrations {
    }

    @DatabaseModule(name = "reports", schema = "users", migrations = "db/users")
    static class SharingAFolder {
    }

    @Test
    void watchesTheFolderOfEveryModuleOnceAsPgdbmReadsItAndNoneForModulesWithoutMigrations() throws IOException {
        Index index = Index.of(UsersModule.class, OrdersModule.class, WithoutMigrations.class, SharingAFolder.class,
                MigrationFoldersTest.class);

        assertThat(MigrationFolders.declaredIn(index)).containsExactly("db/users", "sql/orders");
    }

    @Test
    void aMigrationIsASqlFileDirectlyInTheFolderWhetherItExistsYetOrNot() {
        Predicate<String> users = MigrationFolders.migrationIn("db/users");

        assertThat(users).accepts("db/users/001_accounts.sql", "db/users/002_not_written_yet.sql",
                "db/users/V3__flyway_style.sql");
        assertThat(users).rejects("db/users/README.txt", "db/users/.001_accounts.sql.swp", "db/users/.hidden.sql",
                "db/users/drafts/003_later.sql", "db/users_old/001_accounts.sql", "db/users.sql",
                "sql/orders/001_orders.sql", "001_accounts.sql");
    }
}
