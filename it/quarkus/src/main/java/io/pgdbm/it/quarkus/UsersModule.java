package io.pgdbm.it.quarkus;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A module injected by field: its plain {@code ModuleDatabase} is the users module's. */
@DatabaseModule(schema = "users", migrations = "db/users")
@ApplicationScoped
public class UsersModule {

    @Inject
    ModuleDatabase db;

    public ModuleDatabase db() {
        return db;
    }

    public long create(String email) {
        return db.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id", Long.class, email);
    }
}
