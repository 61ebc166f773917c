package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.PoolTimeoutException;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabaseExtension.class)
class PoolTimeoutTest {

    private static final Pattern STATE = Pattern.compile("\\((total=\\d+, active=\\d+, idle=\\d+, waiting=(\\d+))\\)");
    private static final int WAITERS = 16;

    @Test
    void poolStateInTheMessageIsTheOneHikariTookWhenTheWaitTimedOut(TestDatabase database) throws Exception {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0)
                .acquireTimeout(Duration.ofMillis(400)).build())) {
            ModuleDatabase db = pgdbm.module("orders");

            // The only connection is taken; many threads wait for it at once and time out together, so the pool's
            // state read again after the wait (the waiters gone) differs from the one at the timeout.
            List<PoolTimeoutException> failures = db.inTransaction(tx -> {
                ExecutorService threads = Executors.newFixedThreadPool(WAITERS);
                try {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<PoolTimeoutException>> waits = new ArrayList<>();
                    for (int i = 0; i < WAITERS; i++) {
                        waits.add(threads.submit(() -> {
                            start.await();
                            try {
                                db.fetchValue("SELECT 1", Integer.class);
                                return null;
                            } catch (PoolTimeoutException e) {
                                return e;
                            }
                        }));
                    }
                    start.countDown();
                    List<PoolTimeoutException> timedOut = new ArrayList<>();
                    for (Future<PoolTimeoutException> wait : waits) {
                        timedOut.add(wait.get());
                    }
                    return timedOut;
                } finally {
                    threads.shutdownNow();
                }
            });

            assertThat(failures).hasSize(WAITERS).doesNotContainNull();
            List<Integer> waiting = new ArrayList<>();
            for (PoolTimeoutException failure : failures) {
                Matcher hikari = STATE.matcher(failure.getCause().getMessage());
                assertThat(hikari.find()).as(failure.getCause().getMessage()).isTrue();
                assertThat(failure).hasMessageStartingWith("orders - no connection available from pool "
                        + "pgdbm-default within 400ms (" + hikari.group(1) + "). All connections are in use");
                waiting.add(Integer.parseInt(hikari.group(2)));
            }
            assertThat(waiting).as("threads still waiting when one timed out").anyMatch(count -> count > 0);
        }
    }
}
