package io.pgdbm.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConnectionException;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pgdbm inside Quarkus's {@code @Transactional} (Narayana) over Quarkus's default datasource (Agroal, whose
 * connections enlist in the transaction): pgdbm takes part in the transaction and never commits, rolls back or
 * changes auto-commit inside it. Before, every pgdbm call there failed with Agroal's "Trying to set autocommit in
 * connection taking part of transaction".
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ContainerTransactionsTest {

    @Inject
    Shop shop;

    @Inject
    UsersModule users;

    @Inject
    UserTransaction transaction;

    @BeforeEach
    void clear() {
        shop.seen().clear();
    }

    private static long count(String sql) throws SQLException {
        DataSource dataSource = CDI.current().select(DataSource.class).get();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long accounts(String emailLike) throws SQLException {
        return count("SELECT count(*) FROM users.accounts WHERE email LIKE '" + emailLike + "'");
    }

    private static long ordersOf(String email) throws SQLException {
        return count("SELECT count(*) FROM shop_orders.orders o JOIN users.accounts a ON a.id = o.account_id "
                + "WHERE a.email = '" + email + "'");
    }

    @Test
    void twoModulesCommitWithTheTransactionAndAThrowingMethodLeavesNothing() throws SQLException {
        shop.open("q-commit@example.com", false);
        assertThatThrownBy(() -> shop.open("q-thrown@example.com", true)).hasMessage("payment declined");

        assertThat(accounts("q-commit@example.com")).isEqualTo(1);
        assertThat(ordersOf("q-commit@example.com")).isEqualTo(1);
        assertThat(accounts("q-thrown@example.com")).isZero();
        assertThat(ordersOf("q-thrown@example.com")).isZero();
    }

    @Test
    void inTransactionJoinsAndCommitsNothingOfItsOwn() throws SQLException {
        shop.openInTransaction("q-joined@example.com", false);
        assertThat(shop.seen()).containsExactly(Status.STATUS_ACTIVE);
        assertThatThrownBy(() -> shop.openInTransaction("q-joined-thrown@example.com", true))
                .hasMessage("payment declined after inTransaction returned");

        assertThat(ordersOf("q-joined@example.com")).isEqualTo(1);
        assertThat(accounts("q-joined-thrown@example.com")).isZero();
    }

    @Test
    void nestedInTransactionIsASavepointRolledBackAlone() throws SQLException {
        shop.openWithAFailedNestedPart("q-nested@example.com");

        assertThat(shop.seen()).singleElement().isInstanceOf(QueryException.class);
        assertThat(accounts("q-nested@example.com%")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM users.accounts WHERE email = 'q-nested@example.com' AND name = 'kept'"))
                .isEqualTo(1);
    }

    @Test
    void rollbackOnlyFromTheApplicationOrAFailedStatementRollsBack() throws SQLException {
        shop.openThenSetRollbackOnly("q-rollback-only@example.com");
        shop.openThenSwallowAFailure("q-swallowed@example.com");

        assertThat(accounts("q-rollback-only@example.com")).isZero();
        assertThat(accounts("q-swallowed@example.com")).isZero();
        assertThat(shop.seen().get(0)).asString()
                .contains("The surrounding container transaction is marked rollback-only and will roll back");
        assertThat(shop.seen().get(1)).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        assertThatThrownBy(() -> shop.setRollbackOnlyThenWrite("q-marked@example.com"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("The container transaction on this thread is marked rollback-only");
    }

    @Test
    void requiresNewInsideRequiredIsATransactionOfItsOwnOnAnotherConnection() throws SQLException {
        assertThatThrownBy(() -> shop.openWithAnIndependentEntry("q-outer@example.com", true))
                .hasMessage("declined after the ledger entry");
        assertThatThrownBy(() -> shop.openInTransactionWithAnIndependentEntry("q-unit@example.com"))
                .hasMessage("declined after the ledger entry");

        assertThat(shop.seen().get(0)).as("another connection").isNotEqualTo(shop.seen().get(1));
        assertThat(accounts("q-outer@example.com")).isZero();
        assertThat(accounts("q-outer@example.com.ledger")).isEqualTo(1);
        assertThat(accounts("q-unit@example.com")).isZero();
        assertThat(accounts("q-unit@example.com.ledger")).isEqualTo(1);
    }

    @Test
    void userTransactionDemarcatesPgdbmsWork() throws Exception {
        transaction.begin();
        users.db().execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "q-ut-rolled-back@example.com");
        transaction.rollback();
        transaction.begin();
        users.db().execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "q-ut-committed@example.com");
        transaction.commit();

        assertThat(accounts("q-ut-rolled-back@example.com")).isZero();
        assertThat(accounts("q-ut-committed@example.com")).isEqualTo(1);
    }

    @Test
    void optionsAreRefusedAndBulkWorkTakesPart() throws SQLException {
        assertThatThrownBy(shop::readOnlyInside).isInstanceOf(PgdbmException.class)
                .hasMessageContaining("cannot apply: this call runs inside a container transaction");
        assertThat(shop.bulk("q-bulk-kept", false)).isEqualTo(3);
        assertThatThrownBy(() -> shop.bulk("q-bulk-gone", true)).hasMessage("bulk declined");

        assertThat(accounts("q-bulk-kept.%")).isEqualTo(3);
        assertThat(accounts("q-bulk-gone.%")).isZero();
    }
}
