package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Finished tests' databases are dropped off the test thread, and no more than four drops ever wait. */
class BackgroundTest {

    @Test
    void aFinishedTestsDatabaseIsDroppedAfterTheTestHasEnded() throws InterruptedException {
        PgdbmTestServer server = PgdbmTestServer.shared();
        CountDownLatch release = new CountDownLatch(1);
        server.background().drop(() -> awaitQuietly(release));
        try {
            List<Launched.Outcome> outcomes = Launched.tests(Launched.run(OneTest.class));

            assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(outcome.succeeded()).isTrue());
            assertThat(server.databases()).as("still there: the drop thread is busy").contains(OneTest.database);
        } finally {
            release.countDown();
        }
        server.background().awaitIdle();
        assertThat(server.databases()).doesNotContain(OneTest.database);
    }

    @Test
    void aDropWaitsForASlotWhileFourArePending() throws InterruptedException {
        Background background = new Background();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        try {
            for (int i = 0; i < Background.MAX_PENDING_DROPS; i++) {
                background.drop(() -> {
                    awaitQuietly(release);
                    done.incrementAndGet();
                });
            }
            Thread fifth = new Thread(() -> background.drop(done::incrementAndGet), "fifth drop");
            fifth.start();
            awaitWaiting(fifth);

            assertThat(done).as("no drop has run yet").hasValue(0);
            release.countDown();
            fifth.join(TimeUnit.SECONDS.toMillis(30));
            background.awaitIdle();
            assertThat(done).hasValue(Background.MAX_PENDING_DROPS + 1);
        } finally {
            release.countDown();
            background.stop();
        }
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as(thread.getName() + " waits for a slot; it is " + thread.getState())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ExtendWith(LaunchedOnly.class)
    static class OneTest {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        static String database;

        @Test
        void runs() {
            database = db.databaseName();
        }
    }
}
