/**
 * Benchmarks, in two suites. JMH benchmarks of {@link io.pgdbm.ModuleDatabase} against hand-written pgjdbc on the same
 * HikariCP pool and the same server: {@link io.pgdbm.bench.PgdbmVsJdbc} holds the pairs;
 * {@link io.pgdbm.bench.BenchmarkSuite} runs them in interleaved rounds and reports the ratios ({@code bench/run.sh}).
 * pgdbm's migrator against Flyway: {@link io.pgdbm.bench.MigrationBenchmark} applies and checks generated migrations
 * with both, in one run ({@code bench/migrations.sh}).
 */
package io.pgdbm.bench;
