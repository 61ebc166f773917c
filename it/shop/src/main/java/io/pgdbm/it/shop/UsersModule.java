package io.pgdbm.it.shop;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The users module, in the WAR itself: its migrations are in {@code WEB-INF/classes/db/users}. */
@DatabaseModule(schema = "users", migrations = "db/users")
@ApplicationScoped
public class UsersModule {

    @Inject
    ModuleDatabase db;

    public ModuleDatabase db() {
        return db;
    }
}
