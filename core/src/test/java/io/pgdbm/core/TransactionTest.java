package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.IsolationLevel;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.TransactionOptions;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class TransactionTest {

    private static Pgdbm pgdbm;
    private static Pgdbm otherDatasource;
    private static ModuleDatabase users;
    private static ModuleDatabase orders;

    @BeforeAll
    static void start(TestDatabase database) {
        pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(4).poolMinIdle(0).build());
        otherDatasource = Pgdbm.create(database.configBuilder().name("other").poolMaxSize(2).poolMinIdle(0).build());
        users = pgdbm.module("users");
        orders = pgdbm.module("orders");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY, orders int NOT NULL DEFAULT 0)");
        orders.execute("CREATE SCHEMA {{schema}}");
        orders.execute("CREATE TABLE {{tables.orders}} (id serial PRIMARY KEY, "
                + "account_id int NOT NULL REFERENCES {{tables.users.accounts}} (id))");
        orders.execute("CREATE TABLE {{tables.deferred}} (account_id int "
                + "REFERENCES {{tables.users.accounts}} (id) DEFERRABLE INITIALLY DEFERRED)");
    }

    @AfterAll
    static void stop() {
        pgdbm.close();
        otherDatasource.close();
    }

    @BeforeEach
    void reset() {
        orders.execute("TRUNCATE {{tables.orders}}, {{tables.deferred}}, {{tables.users.accounts}}");
        users.execute("INSERT INTO {{tables.accounts}} (id) VALUES (1)");
    }

    private static long count(ModuleDatabase module, String table) {
        return module.fetchValue("SELECT count(*) FROM {{tables." + table + "}}", Long.class);
    }

    @Test
    void rollbackScopeUndoesEverythingEveryModuleDidOnTheThread() throws Exception {
        try (RollbackScope scope = pgdbm.openRollbackScope()) {
            users.execute("INSERT INTO {{tables.accounts}} (id) VALUES (2)");
            orders.useTransaction(tx -> {
                tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (2)");
                users.execute("UPDATE {{tables.accounts}} SET orders = 1 WHERE id = 2");
            });
            assertThat(users.isInTransaction()).isTrue();
            assertThat(count(orders, "orders")).isEqualTo(1L);
            assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> count(users, "accounts")).get())
                    .as("another thread sees nothing of the scope").isEqualTo(1L);
        }

        assertThat(users.isInTransaction()).isFalse();
        assertThat(count(users, "accounts")).isEqualTo(1L);
        assertThat(count(orders, "orders")).isZero();
        users.useTransaction(tx -> assertThatThrownBy(pgdbm::openRollbackScope)
                .hasMessageContaining("a rollback scope cannot open inside a transaction already open on this thread"));
    }

    @Test
    void commitsWhenTheWorkReturns() {
        Integer id = orders.inTransaction(tx -> tx.fetchValue(
                "INSERT INTO {{tables.orders}} (account_id) VALUES (?) RETURNING id", Integer.class, 1));

        assertThat(id).isNotNull();
        assertThat(count(orders, "orders")).isEqualTo(1);
    }

    @Test
    void rollsBackAndRethrowsAnUncheckedExceptionUnchanged() {
        IllegalStateException failure = new IllegalStateException("boom");

        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            throw failure;
        })).isSameAs(failure);
        assertThat(count(orders, "orders")).isZero();
    }

    @Test
    void wrapsACheckedExceptionAfterRollingBack() {
        IOException failure = new IOException("disk full");

        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            throw failure;
        })).isInstanceOf(PgdbmException.class)
                .hasCause(failure)
                .hasMessageContaining("orders - transaction rolled back: java.io.IOException: disk full");
        assertThat(count(orders, "orders")).isZero();
    }

    @Test
    void rollsBackToSavepointWhenInnerWorkFails() {
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            assertThatThrownBy(() -> tx.useTransaction(inner -> {
                inner.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
                assertThat(count(inner, "orders")).isEqualTo(2);
                throw new IllegalArgumentException("inner fails");
            })).hasMessage("inner fails");
            assertThat(count(tx, "orders")).isEqualTo(1);
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
        });

        assertThat(count(orders, "orders")).isEqualTo(2);
    }

    @Test
    void failedStatementInsideNestedWorkLeavesTheOuterTransactionUsable() {
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            assertThatThrownBy(() -> tx.useTransaction(inner ->
                    inner.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (999)")))
                    .isInstanceOf(QueryException.class)
                    .satisfies(e -> assertThat(((QueryException) e).isForeignKeyViolation()).isTrue());
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
        });

        assertThat(count(orders, "orders")).isEqualTo(2);
    }

    @Test
    void swallowedStatementFailureRollsBackAndSaysSoInsteadOfReportingSuccess() {
        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            try {
                tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (999)");
            } catch (QueryException ignored) {
                // the classic mistake: the transaction is aborted now, whatever the code does next
            }
        })).isInstanceOf(QueryException.class)
                .hasMessageContaining("orders - the transaction was rolled back, not committed")
                .hasMessageContaining("run the statement that may fail in a nested inTransaction")
                .extracting(e -> ((QueryException) e).getSqlState()).isEqualTo("25P02");

        assertThat(count(orders, "orders")).isZero();
    }

    @Test
    void swallowedStatementFailureKeepsItsSqlStateInTheCauseToo() {
        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            try {
                tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (999)");
            } catch (QueryException ignored) {
                // swallowed
            }
        })).isInstanceOf(QueryException.class)
                .hasCauseInstanceOf(java.sql.SQLException.class)
                .satisfies(e -> assertThat(((java.sql.SQLException) e.getCause()).getSQLState()).isEqualTo("25P02"));
    }

    @Test
    void failedCommitSaysNothingWasCommittedWithTheServersSqlState() {
        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            tx.execute("INSERT INTO {{tables.deferred}} (account_id) VALUES (999)");
        })).isInstanceOf(QueryException.class)
                .hasMessageStartingWith("orders - COMMIT failed, the transaction was rolled back and nothing was "
                        + "committed: insert or update on table \"deferred\" violates foreign key constraint "
                        + "\"deferred_account_id_fkey\" [SQLState 23503]\n  SQL: COMMIT")
                .satisfies(e -> {
                    QueryException failure = (QueryException) e;
                    assertThat(failure.getSqlState()).isEqualTo("23503");
                    assertThat(failure.isForeignKeyViolation()).isTrue();
                    assertThat(failure.constraint()).isEqualTo("deferred_account_id_fkey");
                    assertThat(failure.sql()).isEqualTo("COMMIT");
                });
        assertThat(count(orders, "orders")).isZero();
    }

    @Test
    void manyFailingNestedCallsLeaveTheOuterTransactionWorking() {
        orders.useTransaction(tx -> {
            for (int i = 0; i < 100; i++) {
                assertThatThrownBy(() -> tx.useTransaction(inner ->
                        inner.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (999)")))
                        .isInstanceOf(QueryException.class);
            }
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
        });

        assertThat(count(orders, "orders")).isEqualTo(1);
    }

    @Test
    void plainCallsOfAnotherModuleOnTheSameThreadJoinTheTransaction() {
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            users.execute("UPDATE {{tables.accounts}} SET orders = orders + 1 WHERE id = 1");
            assertThat(users.isInTransaction()).isTrue();
        });

        assertThat(users.fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = 1", Integer.class))
                .isEqualTo(1);
        assertThat(count(orders, "orders")).isEqualTo(1);
        assertThat(users.isInTransaction()).isFalse();
    }

    @Test
    void crossModuleChangesRollBackTogether() {
        assertThatThrownBy(() -> orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            users.execute("UPDATE {{tables.accounts}} SET orders = orders + 1 WHERE id = 1");
            users.execute("INSERT INTO {{tables.accounts}} (id) VALUES (2)");
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");

        assertThat(count(orders, "orders")).isZero();
        assertThat(count(users, "accounts")).isEqualTo(1);
        assertThat(users.fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = 1", Integer.class)).isZero();
    }

    @Test
    void inTransactionOnAnotherModuleNestsInASavepoint() {
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            assertThatThrownBy(() -> users.useTransaction(inner -> {
                inner.execute("UPDATE {{tables.accounts}} SET orders = 99");
                throw new IllegalStateException("undo only this");
            })).hasMessage("undo only this");
        });

        assertThat(count(orders, "orders")).isEqualTo(1);
        assertThat(users.fetchValue("SELECT orders FROM {{tables.accounts}} WHERE id = 1", Integer.class)).isZero();
    }

    @Test
    void anotherThreadDoesNotSeeOrJoinTheTransaction() throws Exception {
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            long seenElsewhere = CompletableFuture.supplyAsync(() -> count(orders, "orders")).get();
            assertThat(seenElsewhere).isZero();
        });
    }

    @Test
    void anotherDatasourceDoesNotJoinTheTransaction() {
        ModuleDatabase usersElsewhere = otherDatasource.module("users");
        orders.useTransaction(tx -> {
            tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)");
            assertThat(usersElsewhere.isInTransaction()).isFalse();
            assertThat(usersElsewhere.fetchValue("SELECT count(*) FROM {{tables.orders.orders}}", Long.class))
                    .isZero();
        });
    }

    @Test
    void transactionHandleRefusesUseAfterTheTransactionEnds() {
        AtomicReference<ModuleDatabase> leaked = new AtomicReference<>();
        orders.useTransaction(leaked::set);

        assertThatThrownBy(() -> leaked.get().execute("SELECT 1"))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("orders - this transaction handle is no longer usable");
    }

    @Test
    void transactionHandleRefusesUseFromAnotherThread() {
        orders.useTransaction(tx -> {
            Throwable failure = CompletableFuture.runAsync(() -> tx.execute("SELECT 1"))
                    .handle((ok, error) -> error).get();
            assertThat(failure).hasCauseInstanceOf(PgdbmException.class)
                    .hasMessageContaining("transaction belongs to thread");
        });
    }

    @Test
    void readOnlyTransactionRefusesWrites() {
        assertThatThrownBy(() -> orders.useTransaction(TransactionOptions.defaults().readOnly(true),
                tx -> tx.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)")))
                .isInstanceOf(QueryException.class)
                .extracting(e -> ((QueryException) e).getSqlState()).isEqualTo("25006");
        // The connection went back to the pool read-write.
        for (int i = 0; i < 4; i++) {
            assertThat(orders.execute("INSERT INTO {{tables.orders}} (account_id) VALUES (1)")).isEqualTo(1);
        }
    }

    @Test
    void isolationLevelAppliesToTheTransactionOnly() {
        String inside = orders.inTransaction(TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE),
                tx -> tx.fetchValue("SHOW transaction_isolation", String.class));
        String after = orders.inTransaction(tx -> tx.fetchValue("SHOW transaction_isolation", String.class));

        assertThat(inside).isEqualTo("serializable");
        assertThat(after).isEqualTo("read committed");
    }

    @Test
    void nestedCallCannotChangeTheIsolationLevel() {
        assertThatThrownBy(() -> orders.useTransaction(tx -> tx.useTransaction(
                TransactionOptions.defaults().isolation(IsolationLevel.SERIALIZABLE), inner -> { })))
                .isInstanceOf(PgdbmException.class)
                .hasMessageContaining("a nested transaction cannot change the transaction's options");
    }

    @Test
    void streamsLeftOpenAreClosedWhenTheTransactionEnds() {
        orders.useTransaction(tx -> {
            tx.stream("SELECT generate_series(1, 10000)", Integer.class).iterator().next();
        });

        assertThat(pgdbm.poolStats().orElseThrow().active()).isZero();
        assertThat(count(orders, "orders")).isZero();
    }
}
