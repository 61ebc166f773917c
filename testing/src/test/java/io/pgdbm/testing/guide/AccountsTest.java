package io.pgdbm.testing.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.testing.Injected;
import io.pgdbm.testing.PgdbmTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsTest {
    @RegisterExtension
    static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

    @Test
    void registersAnAccount(@Injected ModuleDatabase users) {
        users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
        assertEquals(1L, users.fetchValue("SELECT count(*) FROM {{tables.accounts}}", Long.class));
    }
}
