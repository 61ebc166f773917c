package io.pgdbm.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The HikariCP pool {@link MigrationBenchmark} lends to both sides; in its own class, so a child JVM of
 * {@link FirstMigrationCheck} loads HikariCP only when it is asked to borrow a pool.
 */
final class BenchPool {

    private BenchPool() {
    }

    /**
     * A pool of {@code size} connections, all opened before this returns: what an application has at hand when its
     * migrations run, and no pool filling itself in the background while a side is measured.
     */
    static HikariDataSource open(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("migration-bench");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        HikariDataSource pool = new HikariDataSource(config);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.getHikariPoolMXBean().getTotalConnections() < size && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return pool;
    }
}
