package io.pgdbm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTestServer;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application packaged as one jar ({@code quarkus.package.jar.type=uber-jar}) and run with {@code java -jar}: the
 * migrations are read from inside that jar (the fast-jar is {@link ProductionModeTest}, dev mode
 * {@link MigrationsDevModeTest}).
 */
class UberJarTest {

    static final PgdbmTestServer.Database DATABASE = PgdbmTestServer.shared().newDatabase();

    @RegisterExtension
    @Order(1)
    static final AfterAllCallback DROP_DATABASE = context -> DATABASE.close();

    @RegisterExtension
    @Order(2)
    static final QuarkusProdModeTest APP = new QuarkusProdModeTest()
            .withApplicationRoot(TestApplication::addTo)
            .setApplicationName("pgdbm-uber-jar")
            .overrideConfigKey("quarkus.package.jar.type", "uber-jar")
            .setForcedDependencies(List.of(
                    Dependency.of("io.quarkus", "quarkus-agroal", Version.getVersion()),
                    Dependency.of("io.quarkus", "quarkus-jdbc-postgresql", Version.getVersion()),
                    Dependency.of("io.quarkus", "quarkus-vertx-http", Version.getVersion())))
            .setRun(true)
            .setRuntimeProperties(Map.of(
                    "quarkus.datasource.jdbc.url", DATABASE.jdbcUrl(),
                    "quarkus.datasource.username", DATABASE.server().username(),
                    "quarkus.http.port", Integer.toString(DevModeEnvironment.freePort())));

    @ProdBuildResults
    ProdModeTestResults build;

    @Test
    void migratesFromInsideTheOneJar() throws Exception {
        // One jar, with the migrations inside it, and no lib/ folder beside it (a fast-jar has one).
        Path jar = build.getBuiltArtifactPath();
        assertThat(jar.getFileName().toString()).isEqualTo("pgdbm-uber-jar-runner.jar");
        assertThat(jar.resolveSibling("lib")).doesNotExist();
        try (JarFile contents = new JarFile(jar.toFile())) {
            assertThat(contents.getEntry("db/users/001_accounts.sql")).isNotNull();
        }
        assertThat(APP.getStartupConsoleOutput())
                .contains("pgdbm - users: applied 001_accounts.sql")
                .contains("pgdbm - orders: applied 001_orders.sql");
        try (Connection connection = DATABASE.server().dataSource(DATABASE.name()).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM users.schema_migrations")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }
}
