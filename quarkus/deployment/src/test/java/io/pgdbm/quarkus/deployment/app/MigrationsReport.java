package io.pgdbm.quarkus.deployment.app;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.extension.DatabaseModules;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code GET /migrations}: which start of the application answers (a new id each start), and per module its
 * migration history and what this start applied, one line each:
 *
 * <pre>
 * start 1b4e...
 * users history=001_accounts.sql applied-at-start=001_accounts.sql
 * orders history=001_orders.sql applied-at-start=001_orders.sql
 * </pre>
 */
@ApplicationScoped
public class MigrationsReport {

    private final String start = UUID.randomUUID().toString();

    @Inject
    DatabaseModules modules;

    @Inject
    UsersModule users;

    void routes(@Observes Router router) {
        router.get("/migrations").blockingHandler(request -> request.response()
                .putHeader("content-type", "text/plain; charset=utf-8")
                .end(report()));
    }

    String report() {
        List<String> lines = new ArrayList<>();
        lines.add("start " + start);
        for (MigrationResult result : modules.startupMigrations()) {
            ModuleDatabase db = result.module().equals("users") ? users.db() : modules.module(result.module());
            List<String> history = db.fetchAll("SELECT filename FROM {{tables.schema_migrations}} ORDER BY id",
                    String.class);
            lines.add(result.module() + " history=" + String.join(",", history) + " applied-at-start="
                    + result.applied().stream().map(MigrationResult.Applied::filename)
                            .collect(Collectors.joining(",")));
        }
        return String.join("\n", lines);
    }
}
