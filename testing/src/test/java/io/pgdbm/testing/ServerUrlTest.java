package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/** The URL of a test database is the admin URL with another database: hosts, parameters and all. */
class ServerUrlTest {

    @Test
    void keepsEveryParameterAndReplacesOnlyTheDatabase() {
        ServerUrl url = ServerUrl.parse("jdbc:postgresql://db.example.com:6543/admin?sslmode=verify-full"
                + "&sslrootcert=/etc/ssl/ca.pem&options=-c%20search_path%3Dtest&user=ci&password=s3cret", "test");

        String database = url.forDatabase("pgdbm_test_x");

        assertThat(database).isEqualTo("jdbc:postgresql://db.example.com:6543/pgdbm_test_x?sslmode=verify-full"
                + "&sslrootcert=/etc/ssl/ca.pem&options=-c%20search_path%3Dtest");
        Properties parsed = Driver.parseURL(database, new Properties());
        assertThat(parsed.getProperty("PGHOST")).isEqualTo("db.example.com");
        assertThat(parsed.getProperty("PGPORT")).isEqualTo("6543");
        assertThat(parsed.getProperty("PGDBNAME")).isEqualTo("pgdbm_test_x");
        assertThat(parsed.getProperty("options")).isEqualTo("-c search_path=test");
        assertThat(parsed).doesNotContainKeys("user", "password");
        assertThat(url.user()).isEqualTo("ci");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.adminDatabase()).isEqualTo("admin");
    }

    @Test
    void keepsAListOfHostsAndIpv6Literals() {
        ServerUrl url = ServerUrl.parse("jdbc:postgresql://[::1]:5433,[fe80::1]:5434,db:5435/postgres"
                + "?targetServerType=primary", "test");

        String database = url.forDatabase("pgdbm_test_x");

        assertThat(database).isEqualTo("jdbc:postgresql://[::1]:5433,[fe80::1]:5434,db:5435/pgdbm_test_x"
                + "?targetServerType=primary");
        Properties parsed = Driver.parseURL(database, new Properties());
        assertThat(parsed.getProperty("PGPORT")).isEqualTo("5433,5434,5435");
        assertThat(parsed.getProperty("PGDBNAME")).isEqualTo("pgdbm_test_x");
        assertThat(url.target()).isEqualTo("[::1]:5433,[fe80::1]:5434,db:5435");
    }

    @Test
    void keepsTheDriversDefaultsWhenTheUrlNamesNoPortNorDatabase() {
        ServerUrl url = ServerUrl.parse("jdbc:postgresql://localhost/?user=ci", "test");

        assertThat(url.forDatabase("pgdbm_test_x")).isEqualTo("jdbc:postgresql://localhost/pgdbm_test_x");
        assertThat(url.adminDatabase()).as("as libpq: the user's name").isEqualTo("ci");
    }

    @Test
    void anotherProcessGetsTheCredentialsInTheAdminUrl() {
        ServerUrl url = ServerUrl.parse("jdbc:postgresql://db:5432/admin?sslmode=require&user=ci&password=a%26b",
                "test");

        Properties parsed = Driver.parseURL(url.adminUrlWithCredentials(), new Properties());

        assertThat(parsed.getProperty("PGDBNAME")).isEqualTo("admin");
        assertThat(parsed.getProperty("sslmode")).isEqualTo("require");
        assertThat(parsed.getProperty("user")).isEqualTo("ci");
        assertThat(parsed.getProperty("password")).isEqualTo("a&b");
    }

    @Test
    void aUrlThatIsNotPostgresFailsNamingWhereItCameFromWithoutThePassword() {
        assertThatIllegalStateException()
                .isThrownBy(() -> ServerUrl.parse("jdbc:mysql://db/test?user=ci&password=s3cret", "PGDBM_TEST_URL"))
                .withMessage("PGDBM_TEST_URL is not a PostgreSQL JDBC URL: jdbc:mysql://db/test?user=ci&password=****;"
                        + " write it as jdbc:postgresql://host:5432/postgres?user=...&password=...");
    }

    @Test
    void theServersDatabaseUrlsAreMadeTheSameWay() {
        PgdbmTestServer server = PgdbmTestServer.shared();

        assertThat(server.jdbcUrl("pgdbm_test_x")).matches("jdbc:postgresql://localhost:\\d+/pgdbm_test_x");
        assertThat(Driver.parseURL(server.adminUrlWithCredentials(), new Properties()).getProperty("user"))
                .isEqualTo(server.username());
    }
}
