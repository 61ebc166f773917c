package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.TemplateException;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(PostgresDatabaseExtension.class)
class TemplateTest {

    private static CountingDataSource dataSource;
    private static Pgdbm pgdbm;
    private static ModuleDatabase users;

    @BeforeAll
    static void start(TestDatabase database) {
        dataSource = new CountingDataSource(database.dataSource());
        pgdbm = Pgdbm.wrap(dataSource);
        users = pgdbm.module("users", "users_v2");
        users.execute("CREATE SCHEMA {{schema}}");
        users.execute("CREATE TABLE {{tables.accounts}} (id int)");
        users.execute("INSERT INTO {{tables.accounts}} VALUES (1)");
    }

    @Test
    void tablesExpandToTheModulesQuotedSchema() {
        assertThat(users.render("SELECT * FROM {{tables.accounts}}"))
                .isEqualTo("SELECT * FROM \"users_v2\".\"accounts\"");
        assertThat(users.render("CREATE SCHEMA IF NOT EXISTS {{schema}}"))
                .isEqualTo("CREATE SCHEMA IF NOT EXISTS \"users_v2\"");
        assertThat(users.render("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void renderedSqlIsCachedSoAHotQueryIsParsedOnce() {
        String sql = "SELECT * FROM {{tables.accounts}} WHERE id = ?";

        assertThat(users.render(sql)).isSameAs(users.render(sql));
    }

    @Test
    void crossModulePlaceholderFollowsTheOtherModulesSchema() {
        ModuleDatabase orders = pgdbm.module("orders", "orders_eu");

        assertThat(orders.render("SELECT * FROM {{tables.users.accounts}} JOIN {{tables.orders}} USING (id)"))
                .isEqualTo("SELECT * FROM \"users_v2\".\"accounts\" JOIN \"orders_eu\".\"orders\" USING (id)");
        assertThat(orders.render("SELECT * FROM {{tables.billing.invoices}}"))
                .as("no module called billing: the name is taken as a schema")
                .isEqualTo("SELECT * FROM \"billing\".\"invoices\"");
    }

    @Test
    void renderedSqlFollowsModulesRegisteredLater() {
        ModuleDatabase reports = pgdbm.module("reports");
        String sql = "SELECT * FROM {{tables.audit.events}}";
        assertThat(reports.render(sql)).isEqualTo("SELECT * FROM \"audit\".\"events\"");

        pgdbm.module("audit", "audit_2024");

        assertThat(reports.render(sql)).isEqualTo("SELECT * FROM \"audit_2024\".\"events\"");
    }

    @Test
    void arrayAndJsonLiteralsWithDoubleBracesAreLeftAlone() {
        String sql = "SELECT '{{1,2},{3,4}}'::int[][], '{\"a\":{\"b\":1}}'::jsonb, '{{\"x\"}}'";

        assertThat(users.render(sql)).isEqualTo(sql);
        assertThat(users.fetchValue("SELECT ('{{1,2},{3,4}}'::int[])[2][1]", Integer.class)).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DELETE FROM {{tables.accounts\"; DROP TABLE users_v2.accounts; --}}",
        "DELETE FROM {{ tables.accounts }}",
        "DELETE FROM {{tables.my-table}}",
        "DELETE FROM {{tables.1accounts}}",
        "DELETE FROM {{tables.a123456789012345678901234567890123456789012345678901234567890123}}",
        "DELETE FROM {{tables.users.accounts.extra}}",
        "DELETE FROM {{table.accounts}}",
        "DELETE FROM {{tables.accounts}} WHERE id IN (SELECT id FROM {{tables.acc;ounts}})",
        "DELETE FROM {{tables.accounts",
        "DELETE FROM {{;drop}}",
        "DELETE FROM {{ä}}",
        "DELETE FROM {{tables.x}y}}",
        "DELETE FROM {{}}"
    })
    void malformedPlaceholdersAreRejectedBeforeAnythingIsSent(String sql) {
        int connectionsBefore = dataSource.connections.get();

        assertThatThrownBy(() -> users.execute(sql))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("users - ")
                .hasMessageContaining("Nothing was sent to the server")
                .satisfies(e -> assertThat(sql).contains(((TemplateException) e).placeholder()));
        assertThat(dataSource.connections.get()).as("no connection was even taken").isEqualTo(connectionsBefore);
        assertThat(users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class)).isEqualTo(1L);
    }

    @Test
    void messageNamesThePlaceholderAndTheRule() {
        assertThatThrownBy(() -> users.render("SELECT * FROM {{tables.my-table}}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("users - invalid placeholder {{tables.my-table}} at position 15: 'my-table' is not a valid "
                        + "name: names must match [A-Za-z_][A-Za-z0-9_]{0,62} (ASCII letters, digits and _, not starting"
                        + " with a digit, at most 63 characters). Nothing was sent to the server.");
        assertThatThrownBy(() -> users.render("SELECT * FROM {{table.accounts}}"))
                .hasMessageContaining("unknown placeholder; supported placeholders are {{tables.<table>}}, "
                        + "{{tables.<module>.<table>}} and {{schema}}");
    }

    @Test
    void controlCharactersInTheQuotedSqlAreEscapedSoTheMessageStaysOneLine() {
        String sql = "SELECT * FROM {{tables.a\u0000b\u2028c\u2029d\u202ee\u0085f\rg\nh}}";
        String escaped = "a\\u0000b\\u2028c\\u2029d\\u202ee\\u0085f\\u000dg\\u000ah";

        assertThatThrownBy(() -> users.render(sql))
                .isInstanceOf(TemplateException.class)
                .hasMessage("users - invalid placeholder {{tables." + escaped + "}} at position 15: '" + escaped
                        + "' is not a valid name: names must match [A-Za-z_][A-Za-z0-9_]{0,62} (ASCII letters, digits "
                        + "and _, not starting with a digit, at most 63 characters). Nothing was sent to the server.")
                .satisfies(e -> assertThat(((TemplateException) e).placeholder())
                        .isEqualTo("{{tables.a\u0000b\u2028c\u2029d\u202ee\u0085f\rg\nh}}"));
        assertThatThrownBy(() -> users.render("DELETE FROM {{tables.x\nWHERE id = 1"))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("unterminated placeholder '{{tables.x\\u000aWHERE id = 1'");
    }

    @Test
    void sixtyThreeCharacterNamesAreTheLongestAllowed() {
        String longest = "a".repeat(63);

        assertThat(users.render("SELECT * FROM {{tables." + longest + "}}")).endsWith("\"" + longest + "\"");
    }

    @Test
    void schemaAndModuleNamesAreValidatedWhenTheModuleIsCreated() {
        for (String bad : List.of("users; drop", "1users", "my-schema", "a".repeat(64), "\"quoted\"")) {
            assertThatThrownBy(() -> pgdbm.module("m" + Math.abs(bad.hashCode()), bad))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("schema '" + bad + "' is not allowed");
        }
        assertThatThrownBy(() -> pgdbm.module("users", "other_schema"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("module already exists on datasource 'default' with schema 'users_v2'");
        assertThat(pgdbm.module("users", "users_v2")).isSameAs(users);
    }

    /** Counts connections taken from a real DataSource, to prove that nothing was sent. */
    static final class CountingDataSource implements DataSource {

        final AtomicInteger connections = new AtomicInteger();
        private final DataSource delegate;

        CountingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            connections.incrementAndGet();
            return delegate.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }
}
