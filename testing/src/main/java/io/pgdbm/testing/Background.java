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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test server does off the tests' threads: clones made ahead ({@value #CLONE_THREADS} threads, so that fast
 * tests get them twice as often), and finished tests' databases dropped (one thread). Drops are bounded: when
 * {@value #MAX_PENDING_DROPS} wait, the next test's tear-down waits for a slot, so a burst of fast tests cannot pile
 * up databases. Daemon threads: they never keep the JVM alive.
 */
final class Background {

    static final int CLONE_THREADS = 2;
    static final int MAX_PENDING_DROPS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Background.class);

    private final ExecutorService clones = Executors.newFixedThreadPool(CLONE_THREADS, daemons("pgdbm-test-clone"));
    private final ExecutorService drops = Executors.newSingleThreadExecutor(daemons("pgdbm-test-drop"));
    private final Semaphore dropSlots = new Semaphore(MAX_PENDING_DROPS);
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** Runs {@code work} on a clone thread. */
    <T> CompletableFuture<T> ahead(Supplier<T> work) {
        return track(CompletableFuture.supplyAsync(work, clones));
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
        drops.shutdownNow();
    }

    /** Whether {@link #stop()} was called. */
    boolean isStopped() {
        return stopped;
    }

    /** Takes no more work and waits up to {@code wait} for what runs; at JVM exit, before the last drops. */
    void shutdown(Duration wait) throws InterruptedException {
        clones.shutdown();
        drops.shutdown();
        long deadline = System.nanoTime() + wait.toNanos();
        clones.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        drops.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
