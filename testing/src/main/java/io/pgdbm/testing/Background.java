package io.pgdbm.testing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test server does off the tests' threads, one thread each: clones made ahead ({@code CREATE DATABASE}), their
 * pools opened, and finished tests' databases dropped. Clones are a pipeline: while one clone's pool opens, the next
 * {@code CREATE DATABASE} runs. Two {@code CREATE DATABASE} at once do not run: on two cores they took longer
 * together than one after the other. Drops are bounded: when {@value #MAX_PENDING_DROPS} wait, the next test's
 * tear-down waits for a slot, so a burst of fast tests cannot pile up databases. Daemon threads: they never keep the
 * JVM alive.
 */
final class Background {

    static final int MAX_PENDING_DROPS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Background.class);

    private final ExecutorService clones = Executors.newSingleThreadExecutor(daemons("pgdbm-test-clone"));
    private final ExecutorService opens = Executors.newSingleThreadExecutor(daemons("pgdbm-test-open"));
    private final ExecutorService drops = Executors.newSingleThreadExecutor(daemons("pgdbm-test-drop"));
    private final Semaphore dropSlots = new Semaphore(MAX_PENDING_DROPS);
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** Runs {@code create} on the clone thread, then {@code open} on what it made on the open thread. */
    <T, R> CompletableFuture<R> ahead(Supplier<T> create, Function<T, R> open) {
        return track(CompletableFuture.supplyAsync(create, clones).thenApplyAsync(open, opens));
    }

    /** Runs {@code work} on the drop thread; waits first while {@value #MAX_PENDING_DROPS} drops are pending. */
    void drop(Runnable work) {
        dropSlots.acquireUninterruptibly();
        CompletableFuture<Void> drop;
        try {
            drop = CompletableFuture.runAsync(work, drops);
        } catch (RuntimeException e) {
            dropSlots.release();
            throw e;
        }
        track(drop.whenComplete((ignored, failure) -> {
            dropSlots.release();
            if (failure != null && !stopped) {
                LOG.warn("pgdbm-testing - dropping a test database after its test failed; it is dropped at JVM exit "
                        + "or by the next run's sweep", failure);
            }
        }));
    }

    /** Waits until every clone and drop started so far is done, failed ones included. */
    void awaitIdle() {
        while (!running.isEmpty()) {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null)
                    .join();
        }
    }

    /**
     * At JVM exit, before the server stops: drops what waits, and from now on failures of what runs (its server is
     * going away) are not worth a warning.
     */
    void stop() {
        stopped = true;
        clones.shutdownNow();
        opens.shutdownNow();
        drops.shutdownNow();
    }

    /** Whether {@link #stop()} was called. */
    boolean isStopped() {
        return stopped;
    }

    /** Takes no more work and waits up to {@code wait} for what runs; at JVM exit, before the last drops. */
    void shutdown(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (ExecutorService threads : new ExecutorService[] {clones, opens, drops}) {
            // In this order: a clone under way still gets its pool opened, and then dropped by the caller.
            threads.shutdown();
            threads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> work) {
        running.add(work);
        work.whenComplete((ignored, failure) -> running.remove(work));
        return work;
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
