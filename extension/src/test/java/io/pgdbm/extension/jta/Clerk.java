package io.pgdbm.extension.jta;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Work inside a container transaction whose pgdbm unit fails and is caught. */
@ApplicationScoped
public class Clerk {

    @Inject
    @Module("users")
    ModuleDatabase users;

    /** {@code inTransaction} writes and throws; the method catches it and returns normally. */
    @Transactional
    public void failedUnitCaught(String email) {
        try {
            users.useTransaction(tx -> {
                tx.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
                throw new IllegalStateException("undo the unit");
            });
        } catch (IllegalStateException expected) {
            // The unit is undone; the method goes on.
        }
    }

    /** {@code inTransaction} writes and returns; {@code fail}: the method then throws. */
    @Transactional
    public long unitThen(String email, boolean fail) {
        long id = users.inTransaction(tx -> tx.fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) "
                + "RETURNING id", Long.class, email));
        if (fail) {
            throw new IllegalStateException("declined after the unit");
        }
        return id;
    }
}
