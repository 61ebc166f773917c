package io.pgdbm.quarkus.deployment.app;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A module with its migrations in the usual place. */
@DatabaseModule(schema = "users", migrations = "db/users")
@ApplicationScoped
public class UsersModule {

    @Inject
    ModuleDatabase db;

    public ModuleDatabase db() {
        return db;
    }
}
