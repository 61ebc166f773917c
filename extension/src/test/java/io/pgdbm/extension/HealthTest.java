package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseModule;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import javax.sql.DataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;

/** MicroProfile Health readiness: a check per datasource and per module, down when they are not ready. */
class HealthTest {

    @DatabaseModule(schema = "notes", migrations = "db/notes")
    static class NotesModule {
    }

    private static Map<String, HealthCheckResponse> readiness(WeldContainer container) {
        return container.select(HealthCheck.class, Readiness.Literal.INSTANCE).stream().map(HealthCheck::call)
                .collect(Collectors.toMap(HealthCheckResponse::getName, response -> response));
    }

    @Test
    void datasourceAndModuleAreReadyAndGoDownWhenTheServerStops() throws IOException {
        // A server of its own, to stop under the running container.
        EmbeddedPostgres server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "off").start();
        try {
            Map<String, String> config = Map.of(
                    "pgdbm.datasource.url", "jdbc:postgresql://localhost:" + server.getPort() + "/postgres",
                    "pgdbm.datasource.username", "postgres",
                    "pgdbm.pool.min-idle", "0",
                    "pgdbm.pool.acquire-timeout", "1s");
            try (WeldContainer container = Containers.start(config, NotesModule.class)) {
                Map<String, HealthCheckResponse> ready = readiness(container);
                assertThat(ready.keySet()).containsExactlyInAnyOrder("pgdbm-datasource-default",
                        "pgdbm-module-notes");
                assertThat(ready.values()).allSatisfy(response -> assertThat(response.getStatus())
                        .isEqualTo(HealthCheckResponse.Status.UP));

                server.close();

                Map<String, HealthCheckResponse> stopped = readiness(container);
                HealthCheckResponse down = stopped.get("pgdbm-datasource-default");
                assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(down.getData().orElseThrow().get("problem").toString()).isNotEqualTo("none");
                HealthCheckResponse module = stopped.get("pgdbm-module-notes");
                assertThat(module.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(module.getData().orElseThrow().get("migrations").toString())
                        .startsWith("cannot read the migration history");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void changedFileMakesTheModuleUnreadyUnlessTheSettingsAllowIt() throws Exception {
        var database = TestDatabase.create();
        try (database) {
            Map<String, String> config = Map.of(
                    "pgdbm.datasource.url", database.jdbcUrl(),
                    "pgdbm.datasource.username", database.username(),
                    "pgdbm.pool.min-idle", "0");
            try (WeldContainer container = Containers.start(config, NotesModule.class)) {
                assertThat(readiness(container).get("pgdbm-module-notes").getStatus())
                        .isEqualTo(HealthCheckResponse.Status.UP);
            }
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("UPDATE notes.schema_migrations SET checksum = 'edited-since'");
            }
            Map<String, String> allowing = new HashMap<>(config);
            allowing.put("pgdbm.migrate.allow-changed", "true");
            try (WeldContainer container = Containers.start(allowing, NotesModule.class)) {
                assertThat(readiness(container).get("pgdbm-module-notes").getStatus())
                        .as("a change the settings allow").isEqualTo(HealthCheckResponse.Status.UP);
            }
            Map<String, String> strictAfterStart = new HashMap<>(config);
            strictAfterStart.put("pgdbm.migrate.at-start", "false");
            try (WeldContainer container = Containers.start(strictAfterStart, NotesModule.class)) {
                HealthCheckResponse module = readiness(container).get("pgdbm-module-notes");
                assertThat(module.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(module.getData().orElseThrow()).containsEntry("migrations", "001_notes.sql changed");
            }
        }
    }

    /** The application's DataSource, on a server that accepts connections and never answers. */
    @ApplicationScoped
    static class SilentServer {
        static volatile DataSource dataSource;

        @Produces
        @Named("silent")
        DataSource dataSource() {
            return dataSource;
        }
    }

    @Test
    void checksOfAServerThatDoesNotAnswerShareOneProbe() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setServerNames(new String[] {"127.0.0.1"});
            dataSource.setPortNumbers(new int[] {silent.getLocalPort()});
            dataSource.setDatabaseName("nothing");
            dataSource.setLoginTimeout(5);
            SilentServer.dataSource = dataSource;
            Map<String, String> config = Map.of("pgdbm.datasource.bean", "silent", "pgdbm.migrate.at-start", "false");
            try (WeldContainer container = Containers.start(config, NotesModule.class, SilentServer.class)) {
                DatabaseModules modules = container.select(DatabaseModules.class).get();
                Set<Thread> before = healthThreads();

                for (int i = 0; i < 5; i++) {
                    assertThat(modules.datasourceProblem("", Duration.ofMillis(100))).isEqualTo("no answer within "
                            + "100ms");
                }

                Set<Thread> probing = healthThreads();
                probing.removeAll(before);
                assertThat(probing).as("threads probing the silent server").hasSize(1);
            }
        }
    }

    private static Set<Thread> healthThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("pgdbm-health-")).collect(Collectors.toSet());
    }

    @Test
    void moduleWithPendingMigrationsIsNotReady() {
        moduleWithPendingMigrationsIsNotReady(Containers.Kind.FULL);
    }

    @Test
    void buildCompatibleExtensionRegistersTheSameChecks() {
        moduleWithPendingMigrationsIsNotReady(Containers.Kind.LITE);
    }

    private void moduleWithPendingMigrationsIsNotReady(Containers.Kind kind) {
        var database = TestDatabase.create();
        try (database) {
            Map<String, String> config = Map.of(
                    "pgdbm.datasource.url", database.jdbcUrl(),
                    "pgdbm.datasource.username", database.username(),
                    "pgdbm.pool.min-idle", "0",
                    "pgdbm.migrate.at-start", "false");
            try (WeldContainer container = Containers.start(kind, config, NotesModule.class)) {
                HealthCheckResponse module = readiness(container).get("pgdbm-module-notes");

                assertThat(module.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(module.getData().orElseThrow()).containsEntry("migrations", "001_notes.sql pending");
                assertThat(readiness(container).get("pgdbm-datasource-default").getStatus())
                        .isEqualTo(HealthCheckResponse.Status.UP);
            }
        }
    }
}
