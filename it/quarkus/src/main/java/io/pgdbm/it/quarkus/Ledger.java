package io.pgdbm.it.quarkus;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Writes in a transaction of its own, whatever its caller's. */
@ApplicationScoped
public class Ledger {

    @Inject
    @Module("users")
    ModuleDatabase users;

    /** The account in a new transaction, committed when this returns; the backend that wrote it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int record(String email) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
        return users.fetchValue("SELECT pg_backend_pid()", Integer.class);
    }
}
