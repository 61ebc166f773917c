package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many threads, few connections: each thread's transaction stays its own. On JDK 21+ the threads are virtual
 * threads (transactions are bound with a ThreadLocal, which virtual threads support); on JDK 17 platform threads.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class ConcurrencyTest {

    private static final int TASKS = 200;

    @Test
    void concurrentTransactionsOnFewConnectionsStayIsolated(TestDatabase database) throws Exception {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(4).poolMinIdle(0).build())) {
            ModuleDatabase ledger = pgdbm.module("ledger");
            ModuleDatabase audit = pgdbm.module("audit");
            ledger.execute("CREATE SCHEMA {{schema}}");
            audit.execute("CREATE SCHEMA {{schema}}");
            ledger.execute("CREATE TABLE {{tables.entries}} (task int PRIMARY KEY, amount int NOT NULL)");
            audit.execute("CREATE TABLE {{tables.events}} (task int PRIMARY KEY)");

            List<Future<?>> results = new ArrayList<>();
            try (Closer executor = new Closer(threads())) {
                for (int task = 0; task < TASKS; task++) {
                    int id = task;
                    results.add(executor.service.submit(() -> ledger.useTransaction(tx -> {
                        tx.execute("INSERT INTO {{tables.entries}} VALUES (?, ?)", id, id);
                        audit.execute("INSERT INTO {{tables.events}} VALUES (?)", id);
                        // What this transaction sees of its own writes is exactly its own rows.
                        assertThat(tx.fetchValue("SELECT count(*) FROM {{tables.entries}} WHERE task = ?", Long.class,
                                id)).isEqualTo(1L);
                        if (id % 3 == 0) {
                            throw new IllegalStateException("task " + id + " rolls back");
                        }
                    })));
                }
                int rolledBack = 0;
                for (Future<?> result : results) {
                    try {
                        result.get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
                        rolledBack++;
                    }
                }
                assertThat(rolledBack).isEqualTo((TASKS + 2) / 3);
            }

            long committed = TASKS - (TASKS + 2) / 3;
            assertThat(ledger.fetchValue("SELECT count(*) FROM {{tables.entries}}", Long.class)).isEqualTo(committed);
            assertThat(audit.fetchValue("SELECT count(*) FROM {{tables.events}}", Long.class)).isEqualTo(committed);
            assertThat(ledger.fetchValue("SELECT count(*) FROM {{tables.entries}} WHERE task % 3 = 0", Long.class))
                    .isZero();
            assertThat(pgdbm.poolStats().orElseThrow().active()).isZero();
        }
    }

    /** Virtual threads where the JDK has them (21+), otherwise a pool of platform threads. */
    private static ExecutorService threads() {
        try {
            Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newFixedThreadPool(32);
        }
    }

    private static final class Closer implements AutoCloseable {
        final ExecutorService service;

        Closer(ExecutorService service) {
            this.service = service;
        }

        @Override
        public void close() throws InterruptedException {
            service.shutdown();
            service.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
