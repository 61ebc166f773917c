package io.pgdbm.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.extension.BenchMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What pgdbm's statement observation costs: the point select of {@link PgdbmVsJdbc} ({@code db.fetchOne} mapped to
 * {@link Account}), through three {@link Pgdbm}s that borrow one HikariCP pool and differ in one setting each.
 *
 * <ul>
 *   <li>{@code pointSelectMetrics_on}: a metrics listener, the extension's Micrometer backend recording a
 *       {@link Timer} per module and operation ({@code pgdbm.query.duration}) into a {@link SimpleMeterRegistry}.
 *       {@code pointSelectMetrics_off}: no listener. Both keep the default slow-query threshold of 500 ms.</li>
 *   <li>{@code pointSelectSlowThreshold_on}: no listener, the default threshold of 500 ms, so a fast statement costs
 *       a comparison after the clock read. {@code pointSelectSlowThreshold_off}: no listener, the threshold set to 0
 *       (slow-query logging off).</li>
 * </ul>
 *
 * <p>The pool, the tables and the ids looked up are those of {@link PgdbmVsJdbc}, so the numbers compare with its
 * {@code pointSelect} pair. Set-up refuses to run when the listener does not record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListenerOverhead implements PairState {

    private BenchServer server;
    private HikariDataSource pool;
    /** No listener, the default slow-query threshold (500 ms). */
    private ModuleDatabase plain;
    /** The Micrometer listener, the default threshold. */
    private ModuleDatabase metered;
    /** No listener, no slow-query threshold. */
    private ModuleDatabase unthresholded;
    private long[] ids;
    private int next;

    @Setup(Level.Trial)
    @Override
    public void startTrial() throws SQLException {
        server = BenchServer.startOrConnect();
        pool = PgdbmVsJdbc.openPool(server);
        PgdbmVsJdbc.createTables(pool);
        plain = Pgdbm.wrap(pool).module("bench", PgdbmVsJdbc.SCHEMA);

        Pgdbm withMetrics = Pgdbm.wrap(pool);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        withMetrics.addListener(BenchMetrics.micrometer(registry));
        metered = withMetrics.module("bench", PgdbmVsJdbc.SCHEMA);

        DatabaseConfig noThreshold = DatabaseConfig.builder().slowQueryThreshold(Duration.ZERO).build();
        unthresholded = Pgdbm.wrap(pool, noThreshold).module("bench", PgdbmVsJdbc.SCHEMA);

        ids = PgdbmVsJdbc.accountIds();
        checkMetricsRecorded(registry);
    }

    @Setup(Level.Iteration)
    @Override
    public void emptyTargets() {
        // Read-only: nothing to empty.
    }

    @TearDown(Level.Trial)
    @Override
    public void stopTrial() {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public InterleavedPair.Side side(String benchmark) {
        return switch (benchmark) {
            case "pointSelectMetrics_on" -> this::pointSelectMetrics_on;
            case "pointSelectMetrics_off" -> this::pointSelectMetrics_off;
            case "pointSelectSlowThreshold_on" -> this::pointSelectSlowThreshold_on;
            case "pointSelectSlowThreshold_off" -> this::pointSelectSlowThreshold_off;
            default -> throw new IllegalArgumentException("No benchmark " + benchmark + " in "
                    + ListenerOverhead.class.getSimpleName());
        };
    }

    // ---- a metrics listener, against none -----------------------------------------------------------------------

    @Benchmark
    public Account pointSelectMetrics_on() {
        return metered.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    @Benchmark
    public Account pointSelectMetrics_off() {
        return plain.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    // ---- the default slow-query threshold, against none -------------------------------------------------------

    @Benchmark
    public Account pointSelectSlowThreshold_on() {
        return plain.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    @Benchmark
    public Account pointSelectSlowThreshold_off() {
        return unthresholded.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    private long nextId() {
        return ids[next++ & (ids.length - 1)];
    }

    /** One select through the metered module must add one to its timer, and the others must not. */
    private void checkMetricsRecorded(SimpleMeterRegistry registry) {
        Timer timer = registry.find("pgdbm.query.duration").tag("module", "bench").tag("operation", "select")
                .timer();
        long before = timer == null ? 0 : timer.count();
        pointSelectMetrics_off();
        pointSelectSlowThreshold_off();
        pointSelectMetrics_on();
        timer = registry.find("pgdbm.query.duration").tag("module", "bench").tag("operation", "select").timer();
        if (timer == null || timer.count() != before + 1) {
            throw new IllegalStateException("The metrics listener did not record the select: pgdbm.query.duration"
                    + " {module=bench, operation=select} is " + (timer == null ? "missing" : "at " + timer.count()
                    + ", expected " + (before + 1)));
        }
    }
}
