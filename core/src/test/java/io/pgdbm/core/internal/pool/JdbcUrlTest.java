package io.pgdbm.core.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void readsHostPortDatabaseAndParameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db.example:6543/shop?sslmode=require&options=-c%20x%3D1");

        assertThat(url.firstHost()).isEqualTo("db.example");
        assertThat(url.firstPort()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("shop");
        assertThat(url.parameters()).containsEntry("sslmode", "require").containsEntry("options", "-c x=1");
        assertThat(url.toJdbcUrl(Set.of("sslmode", "options"))).isEqualTo("jdbc:postgresql://db.example:6543/shop");
    }

    @Test
    void defaultsThePortAndKeepsSeveralHosts() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://primary,replica:5433/app?targetServerType=primary");

        assertThat(url.hosts()).isEqualTo("primary:5432,replica:5433");
        assertThat(url.firstPort()).isEqualTo(5432);
        assertThat(url.toJdbcUrl(Set.of()))
                .isEqualTo("jdbc:postgresql://primary:5432,replica:5433/app?targetServerType=primary");
    }

    @Test
    void convertsTheLibpqFormAndTakesTheCredentialsOut() {
        JdbcUrl url = JdbcUrl.parse("postgres://app:p%40ss%2Bword@[::1]:5433/orders");

        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("p@ss+word");
        assertThat(url.firstHost()).isEqualTo("[::1]");
        assertThat(url.firstPort()).isEqualTo(5433);
        assertThat(url.toJdbcUrl(Set.of())).isEqualTo("jdbc:postgresql://[::1]:5433/orders");
    }

    @Test
    void refusesCredentialsInsideAJdbcUrl() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://app:secret@host/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set pgdbm.datasource.username and pgdbm.datasource.password instead")
                .hasMessageNotContaining("secret");
    }

    @Test
    void redactsPasswordsForMessages() {
        assertThat(JdbcUrl.redact("postgresql://app:secret@host/db?password=other"))
                .isEqualTo("postgresql://app:****@host/db?password=****");
    }
}
