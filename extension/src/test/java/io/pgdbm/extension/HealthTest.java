package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseModule;
import io.pgdbm.core.testsupport.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
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
        EmbeddedPostgres server = PostgresServer.embeddedBuilder().start();
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

                HealthCheckResponse down = readiness(container).get("pgdbm-datasource-default");
                assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(down.getData().orElseThrow().get("problem").toString()).isNotEqualTo("none");
            }
        } finally {
            server.close();
        }
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
        var database = PostgresServer.shared().createDatabase("health");
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
