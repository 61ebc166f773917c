package io.pgdbm.it.shop;

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

    /** The account, in a new transaction committed when this returns. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String email) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", email);
    }
}
