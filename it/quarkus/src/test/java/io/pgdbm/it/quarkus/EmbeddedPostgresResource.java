package io.pgdbm.it.quarkus;

import io.pgdbm.core.testsupport.PostgresServer;
import io.pgdbm.core.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points Quarkus's default datasource at a fresh database on the embedded PostgreSQL the other modules' tests use
 * (there is no Docker for Dev Services), and drops it when the application has stopped.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = PostgresServer.shared().createDatabase("quarkus");
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.username", database.username());
        if (database.password() != null) {
            config.put("quarkus.datasource.password", database.password());
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
