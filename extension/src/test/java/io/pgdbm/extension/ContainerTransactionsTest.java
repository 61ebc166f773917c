package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.arjuna.ats.jta.cdi.TransactionExtension;
import io.pgdbm.ConnectionException;
import io.pgdbm.MigrationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import io.pgdbm.extension.jta.Clerk;
import io.pgdbm.extension.jta.ContainerDataSource;
import io.pgdbm.extension.jta.Ledger;
import io.pgdbm.extension.jta.Narayana;
import io.pgdbm.extension.jta.PlainDataSource;
import io.pgdbm.extension.jta.Shop;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pgdbm inside container-managed transactions, with a real transaction manager (Narayana, its {@code @Transactional}
 * interceptors and {@code UserTransaction}) and the container's DataSource (an Agroal pool that enlists its
 * connections, as Quarkus builds it), on Weld SE: pgdbm takes part in the container's transaction and never commits,
 * rolls back or changes auto-commit inside it.
 */
class ContainerTransactionsTest {

    private static TestDatabase database;
    private static WeldContainer container;
    private static Shop shop;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        Narayana.configure();
        ContainerDataSource.use(database.jdbcUrl(), database.username(), database.password());
        // No pgdbm.datasource key: pgdbm takes the container's DataSource bean, and the container's transactions.
        container = Containers.start(Containers.Kind.FULL, Map.of(), weld -> weld
                .addExtension(new TransactionExtension())
                .addBeanClasses(ContainerDataSource.class, Shop.class, Ledger.class),
                UsersModule.class, OrdersModule.class);
        shop = container.select(Shop.class).get();
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
        database.close();
    }

    @BeforeEach
    void clear() {
        shop.seen().clear();
    }

    private static Object query(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getObject(1) : null;
        }
    }

    private static long accounts(String emailLike) throws Exception {
        return (Long) query("SELECT count(*) FROM users.accounts WHERE email LIKE '" + emailLike + "'");
    }

    private static long ordersOf(String email) throws Exception {
        return (Long) query("SELECT count(*) FROM shop_orders.orders o JOIN users.accounts a ON a.id = o.account_id "
                + "WHERE a.email = '" + email + "'");
    }

    @Test
    void migrationsAtStartRanOnTheContainersDataSourceOutsideAnyTransaction() throws Exception {
        assertThat(query("SELECT string_agg(filename, ',' ORDER BY id) FROM users.schema_migrations"))
                .isEqualTo("001_accounts.sql,002_names.sql");
        assertThat(query("SELECT count(*) FROM shop_orders.schema_migrations")).isEqualTo(1L);
    }

    @Test
    void twoModulesCommitWithTheContainersTransactionOnOneConnection() throws Exception {
        shop.open("commit@example.com", false);

        assertThat(accounts("commit@example.com")).isEqualTo(1);
        assertThat(ordersOf("commit@example.com")).isEqualTo(1);
        assertThat(shop.seen()).as("both modules on the one enlisted connection").hasSize(2)
                .satisfies(pids -> assertThat(pids.get(0)).isEqualTo(pids.get(1)));
    }

    @Test
    void methodThatThrowsLeavesNothingInEitherModule() throws Exception {
        assertThatThrownBy(() -> shop.open("thrown@example.com", true)).hasMessage("payment declined");

        assertThat(accounts("thrown@example.com")).isZero();
        assertThat(ordersOf("thrown@example.com")).isZero();
    }

    @Test
    void inTransactionJoinsTheContainersTransactionAndCommitsWithIt() throws Exception {
        shop.openInTransaction("joined@example.com", false);

        assertThat(shop.seen()).as("still the container's, running, after inTransaction returned")
                .containsExactly(Status.STATUS_ACTIVE);
        assertThat(accounts("joined@example.com")).isEqualTo(1);
        assertThat(ordersOf("joined@example.com")).isEqualTo(1);
    }

    @Test
    void inTransactionCommitsNothingOfItsOwnWhenTheMethodThenThrows() throws Exception {
        assertThatThrownBy(() -> shop.openInTransaction("joined-thrown@example.com", true))
                .hasMessage("payment declined after inTransaction returned");

        assertThat(accounts("joined-thrown@example.com")).isZero();
        assertThat(ordersOf("joined-thrown@example.com")).isZero();
    }

    @Test
    void nestedInTransactionIsASavepointRolledBackAlone() throws Exception {
        shop.openWithAFailedNestedPart("nested@example.com");

        assertThat(shop.seen()).singleElement().isInstanceOf(QueryException.class)
                .satisfies(e -> assertThat(((QueryException) e).isUniqueViolation()).isTrue())
                .satisfies(e -> assertThat(((QueryException) e).getMessage()).doesNotContain("rollback-only"));
        assertThat(query("SELECT string_agg(email || ':' || coalesce(name, '-'), ',') FROM users.accounts "
                + "WHERE email LIKE 'nested@example.com%'")).isEqualTo("nested@example.com:kept");
    }

    @Test
    void setRollbackOnlyFromTheApplicationRollsBackWhatPgdbmWrote() throws Exception {
        shop.openThenSetRollbackOnly("rollback-only@example.com");

        assertThat(accounts("rollback-only@example.com")).isZero();
    }

    @Test
    void aTransactionMarkedRollbackOnlyGetsNoConnectionAndPgdbmSaysWhy() throws Exception {
        assertThatThrownBy(() -> shop.setRollbackOnlyThenWrite("marked@example.com"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("users - could not get a connection from datasource 'default' inside the "
                        + "container transaction")
                .hasMessageContaining("The container transaction on this thread is marked rollback-only");
        assertThat(accounts("marked@example.com")).isZero();
    }

    @Test
    void aFailedStatementMarksTheContainersTransactionRollbackOnlyAndSaysSo() throws Exception {
        shop.openThenSwallowAFailure("swallowed@example.com");

        assertThat(shop.seen()).hasSize(2);
        assertThat(shop.seen().get(0)).isInstanceOf(QueryException.class).asString()
                .contains("duplicate key value violates unique constraint")
                .contains("The surrounding container transaction is marked rollback-only and will roll back");
        assertThat(shop.seen().get(1)).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        assertThat(accounts("swallowed@example.com")).as("the first insert went with the transaction").isZero();
    }

    @Test
    void requiresNewInsideRequiredIsATransactionOfItsOwnOnAnotherConnection() throws Exception {
        assertThatThrownBy(() -> shop.openWithAnIndependentEntry("outer@example.com", true))
                .hasMessage("declined after the ledger entry");

        assertThat(shop.seen()).hasSize(3);
        assertThat(shop.seen().get(0)).as("another connection").isNotEqualTo(shop.seen().get(1));
        assertThat(shop.seen().get(2)).as("committed once the inner method returned").isEqualTo(1L);
        assertThat(accounts("outer@example.com")).isZero();
        assertThat(accounts("outer@example.com.ledger")).isEqualTo(1);
    }

    @Test
    void requiresNewCalledInsidePgdbmsUnitDoesNotUseThatUnitsConnection() throws Exception {
        assertThatThrownBy(() -> shop.openInTransactionWithAnIndependentEntry("unit@example.com"))
                .hasMessage("declined after the ledger entry");

        assertThat(accounts("unit@example.com")).isZero();
        assertThat(accounts("unit@example.com.ledger")).isEqualTo(1);
    }

    @Test
    void userTransactionDemarcatesPgdbmsWork() throws Exception {
        UserTransaction transaction = container.select(UserTransaction.class).get();
        ModuleDatabase users = container.select(ModuleDatabase.class, ModuleLiteral.of("users")).get();

        transaction.begin();
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ut-rolled-back@example.com");
        transaction.rollback();
        transaction.begin();
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ut-committed@example.com");
        transaction.commit();

        assertThat(accounts("ut-rolled-back@example.com")).isZero();
        assertThat(accounts("ut-committed@example.com")).isEqualTo(1);
    }

    @Test
    void optionsThatCannotApplyToARunningTransactionAreRefused() {
        assertThatThrownBy(shop::readOnlyInside).isInstanceOf(PgdbmException.class)
                .hasMessageContaining("users - TransactionOptions")
                .hasMessageContaining("cannot apply: this call runs inside a container transaction");
    }

    @Test
    void batchesCopiesAndStreamsTakePartWithoutCommitting() throws Exception {
        assertThat(shop.bulk("bulk-kept", false)).isEqualTo(3);
        assertThatThrownBy(() -> shop.bulk("bulk-gone", true)).hasMessage("bulk declined");

        assertThat(accounts("bulk-kept.%")).isEqualTo(3);
        assertThat(accounts("bulk-gone.%")).isZero();
    }

    @Test
    void outsideAContainerTransactionPgdbmRunsItsOwn() throws Exception {
        ModuleDatabase users = container.select(UsersModule.class).get().db();

        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "plain@example.com");
        assertThatThrownBy(() -> users.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "own-rolled-back@example.com");
            throw new IllegalStateException("undo");
        })).hasMessage("undo");
        users.useTransaction(tx -> tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)",
                "own-committed@example.com"));

        assertThat(accounts("plain@example.com")).isEqualTo(1);
        assertThat(accounts("own-rolled-back@example.com")).isZero();
        assertThat(accounts("own-committed@example.com")).isEqualTo(1);
    }

    @Test
    void anOwnPoolInAContainerWithATransactionManagerIsSaidAtStartUp() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (WeldContainer own = Containers.start(Containers.Kind.FULL, Containers.ownPool(database),
                weld -> weld.addExtension(new TransactionExtension()), UsersModule.class)) {
            assertThat(own.select(UsersModule.class).get().db().fetchValue("SELECT 1", Integer.class)).isEqualTo(1);
        } finally {
            System.setErr(original);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).containsOnlyOnce(
                "WARN io.pgdbm.extension.DatabaseModules - pgdbm - datasource default is a pool of pgdbm's own "
                + "(pgdbm.datasource.url), so its work cannot take part in the container's transactions: inside "
                + "@Transactional it commits and rolls back on its own. To share the container's transactions, give "
                + "pgdbm the container's DataSource with pgdbm.datasource.jndi or pgdbm.datasource.bean instead");
    }

    @Test
    void aDataSourceThatDoesNotEnlistKeepsPgdbmsOwnTransactionsInsideTheContainersAndSaysSo() throws Exception {
        PlainDataSource.use(database.jdbcUrl(), database.username());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (WeldContainer plain = Containers.start(Containers.Kind.FULL, Map.of(), weld -> weld
                .addExtension(new TransactionExtension()).addBeanClasses(PlainDataSource.class, Clerk.class),
                UsersModule.class)) {
            // Inside @Transactional, but on connections the transaction does not hold: the unit is pgdbm's own, and
            // the work it undoes is undone (joined, each statement would have committed in auto-commit mode).
            plain.select(Clerk.class).get().failedUnitCaught("plain-unit@example.com");
            plain.select(Clerk.class).get().failedUnitCaught("plain-unit-2@example.com");
        } finally {
            System.setErr(original);
        }

        assertThat(accounts("plain-unit%")).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8)).containsOnlyOnce(
                "pgdbm - datasource default hands out connections that do not take part in the container's "
                + "transaction (they come in auto-commit mode inside one), so pgdbm runs its own transactions on it "
                + "there");
    }

    @Test
    void aServersJndiDataSourceTakesPartEvenWhenItsConnectionsReportAutoCommit() throws Exception {
        // Open Liberty enlists a connection on its first use and reports auto-commit on all the same: a DataSource the
        // server binds in JNDI takes part in the server's transactions, whatever its connections report.
        DataSource enlisting = container.select(DataSource.class).get();
        DataSource liberty = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(enlisting, args);
                    return result instanceof Connection connection ? reportingAutoCommit(connection) : result;
                });
        System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, TestNaming.class.getName());
        TestNaming.BOUND.put("jdbc/liberty", liberty);
        // A server's naming context also holds its transaction manager, where Narayana's CDI beans look for it.
        TransactionSynchronizationRegistry registry = new TransactionSynchronizationRegistryImple();
        TestNaming.BOUND.put("java:/TransactionSynchronizationRegistry", registry);
        TestNaming.BOUND.put("java:comp/TransactionSynchronizationRegistry", registry);
        TestNaming.BOUND.put("java:/TransactionManager", com.arjuna.ats.jta.TransactionManager.transactionManager());
        try (WeldContainer server = Containers.start(Containers.Kind.FULL, Map.of("pgdbm.datasource.jndi",
                "jdbc/liberty"), weld -> weld.addExtension(new TransactionExtension()).addBeanClasses(Clerk.class),
                UsersModule.class)) {
            Clerk clerk = server.select(Clerk.class).get();

            // As pgdbm's own transaction, inTransaction would switch auto-commit off: Agroal refuses that inside.
            clerk.unitThen("jndi-unit@example.com", false);
            assertThatThrownBy(() -> clerk.unitThen("jndi-unit-declined@example.com", true))
                    .hasMessage("declined after the unit");
        } finally {
            TestNaming.BOUND.clear();
            System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
        }

        assertThat(accounts("jndi-unit@example.com")).isEqualTo(1);
        assertThat(accounts("jndi-unit-declined@example.com")).isZero();
    }

    /** A connection that answers {@code getAutoCommit()} with {@code true}, as Open Liberty's do in a transaction. */
    private static Connection reportingAutoCommit(Connection connection) {
        return (Connection) Proxy.newProxyInstance(ContainerTransactionsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAutoCommit")) {
                        return true;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void migratingInsideAContainerTransactionIsRefused() throws Exception {
        UserTransaction transaction = container.select(UserTransaction.class).get();
        DatabaseModules modules = container.select(DatabaseModules.class).get();
        // A Pgdbm of the application's own over the container's DataSource and transactions.
        Pgdbm pgdbm = Pgdbm.wrap(container.select(DataSource.class).get(), DatabaseConfig.builder().build(),
                JtaTransactions.find(container));
        assertThat(modules.names()).contains("users");
        transaction.begin();
        try {
            assertThatThrownBy(() -> new Migrator(pgdbm, pgdbm.module("users"), MigrationFiles.fromClasspath("users",
                    "db/users", getClass().getClassLoader()), MigrationOptions.defaults()).migrate())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("users - migrate cannot run inside a container transaction");
        } finally {
            transaction.rollback();
        }
    }
}
