package io.pgdbm.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class PostgresDatabaseExtensionTest {

    /** Names of the databases the nested classes were given, checked once they have finished. */
    private static final Set<String> NESTED_DATABASES = ConcurrentHashMap.newKeySet();

    private static String classDatabase;

    private final TestDatabase constructorDatabase;
    private TestDatabase beforeEachDatabase;

    PostgresDatabaseExtensionTest(TestDatabase database) {
        this.constructorDatabase = database;
    }

    @BeforeAll
    static void createTableForAllTests(TestDatabase database) throws SQLException {
        classDatabase = database.name();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shared_by_class (id int)");
        }
    }

    @BeforeEach
    void rememberBeforeEachDatabase(TestDatabase database) {
        this.beforeEachDatabase = database;
    }

    @AfterAll
    static void dropsNestedClassDatabasesWhenTheyFinish() throws SQLException {
        assertThat(NESTED_DATABASES).hasSize(2);
        for (String name : NESTED_DATABASES) {
            assertThat(PostgresServerTest.databaseExists(name)).as("database %s after its class", name).isFalse();
        }
    }

    @Test
    void resolvesOneDatabasePerClassEverywhere(TestDatabase database) throws SQLException {
        assertThat(database.name()).isEqualTo(classDatabase).startsWith("pgdbm_test_postgresdatabaseextensiontest_");
        assertThat(constructorDatabase).isSameAs(database);
        assertThat(beforeEachDatabase).isSameAs(database);
        assertThat(PostgresServerTest.databaseExists(database.name())).isTrue();
    }

    @Test
    void keepsWhatEarlierCallbacksCreated(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO shared_by_class VALUES (1)");
        }
    }

    @Nested
    class NestedClass {

        @Test
        void getsItsOwnDatabase(TestDatabase database) {
            NESTED_DATABASES.add(database.name());

            assertThat(database.name()).isNotEqualTo(classDatabase).startsWith("pgdbm_test_nestedclass_");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PerClassLifecycle {

        private final TestDatabase constructorDatabase;

        // With PER_CLASS, JUnit builds the instance before any before-all callback: the database is made on demand.
        PerClassLifecycle(TestDatabase database) {
            this.constructorDatabase = database;
        }

        @Test
        void resolvesSameDatabaseInConstructorAndTest(TestDatabase database) {
            NESTED_DATABASES.add(database.name());

            assertThat(constructorDatabase).isSameAs(database);
            assertThat(database.name()).isNotEqualTo(classDatabase);
        }
    }
}
