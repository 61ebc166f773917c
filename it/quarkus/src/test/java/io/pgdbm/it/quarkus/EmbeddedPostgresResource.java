package io.pgdbm.it.quarkus;

import io.pgdbm.testing.PgdbmTestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points Quarkus's default datasource at a fresh database of pgdbm-testing's server (there is no Docker for Dev
 * Services), and drops it when the application has stopped.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private PgdbmTestServer.Database database;

    @Override
    public Map<String, String> start() {
        PgdbmTestServer server = PgdbmTestServer.shared();
        database = server.newDatabase();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.username", server.username());
        if (server.password() != null) {
            config.put("quarkus.datasource.password", server.password());
        }
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
