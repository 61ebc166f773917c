package io.pgdbm.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.testing.Injected;
import io.pgdbm.testing.PgdbmTestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The junit phase of {@link TestDatabaseBenchmark}: pgdbm-testing's {@link PgdbmTestDatabase} itself, run by JUnit's
 * launcher in this JVM, with two stopwatch extensions registered around it ({@link Order} 1 and 3; JUnit calls the
 * {@code beforeEach} callbacks in that order and the {@code afterEach} callbacks in the reverse one). So each test
 * yields the time of the extension's own {@code beforeEach} (per-method mode: take the clone made ahead, its
 * {@code Pgdbm} already open, or wait for it; rollback mode: {@code openRollbackScope()}), of its test body, and of its
 * {@code afterEach} (per-method mode: hand the pool's close and the drop to pgdbm-testing's drop thread, waiting only
 * while four drops are pending; rollback mode: roll back). JUnit's own work between tests is outside.
 *
 * <p>Every test body inserts a customer and checks that it is the only one, which fails unless each test starts
 * from a fresh database or a rolled-back one; the slow body then sleeps, which leaves the clone started at the
 * previous {@code beforeEach} time to finish before the next test asks for it.
 */
final class ExtensionTimings {

    private static final String INSERT = "INSERT INTO {{tables.customers}} (email, display_name) VALUES (?, ?)";
    private static final String COUNT = "SELECT count(*) FROM {{tables.customers}}";

    private static volatile int tests;
    private static volatile int bodyMillis;
    /** Per test: the extension's beforeEach, the body, the extension's afterEach, in milliseconds. */
    private static final List<double[]> SAMPLES = new ArrayList<>();
    /** Set on the test thread: JUnit runs a class's tests and their callbacks on one thread, in order. */
    private static long beforeStarted;
    private static long bodyStarted;
    private static long afterStarted;

    private ExtensionTimings() {
    }

    /** What one test cost, in milliseconds. */
    record TestTiming(double beforeEach, double body, double afterEach) {

        /** What the extension adds to the test: its beforeEach and its afterEach. */
        double perTest() {
            return beforeEach + afterEach;
        }
    }

    /**
     * Runs {@code count} tests of {@code testClass} ({@link PerTestDatabase} or {@link RollbackMode}), each with a
     * test body that sleeps {@code sleepMillis} after its insert, and returns their timings in order.
     */
    static List<TestTiming> run(Class<?> testClass, int count, int sleepMillis) {
        tests = count;
        bodyMillis = sleepMillis;
        synchronized (SAMPLES) {
            SAMPLES.clear();
        }
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                listener);
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTotalFailureCount() > 0 || summary.getTestsSucceededCount() != count) {
            StringWriter failures = new StringWriter();
            summary.printFailuresTo(new PrintWriter(failures), 20);
            throw new IllegalStateException(testClass.getSimpleName() + ": " + summary.getTestsSucceededCount()
                    + " of " + count + " tests passed\n" + failures);
        }
        synchronized (SAMPLES) {
            return SAMPLES.stream().map(sample -> new TestTiming(sample[0], sample[1], sample[2])).toList();
        }
    }

    /** Registered before the test database ({@code outer}) and after it: the two ends of each of its callbacks. */
    static final class Stopwatch implements BeforeEachCallback, AfterEachCallback {

        private final boolean outer;

        Stopwatch(boolean outer) {
            this.outer = outer;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            if (outer) {
                beforeStarted = System.nanoTime();
            } else {
                bodyStarted = System.nanoTime();
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            long now = System.nanoTime();
            if (!outer) {
                afterStarted = now;
                return;
            }
            synchronized (SAMPLES) {
                SAMPLES.add(new double[] {(bodyStarted - beforeStarted) / 1e6, (afterStarted - bodyStarted) / 1e6,
                        (now - afterStarted) / 1e6});
            }
        }
    }

    static IntStream tests() {
        return IntStream.range(0, tests);
    }

    static void body(ModuleDatabase shop, int test) throws InterruptedException {
        shop.execute(INSERT, "customer" + test + "@example.com", "Customer " + test);
        long customers = shop.fetchValue(COUNT, Long.class);
        if (customers != 1) {
            throw new IllegalStateException("test " + test + " found " + customers + " customers: its database was not"
                    + " fresh");
        }
        if (bodyMillis > 0) {
            Thread.sleep(bodyMillis);
        }
    }

    /** The default mode: a database per test, cloned from the template. */
    static final class PerTestDatabase {

        @RegisterExtension
        @Order(1)
        static final Stopwatch OUTER = new Stopwatch(true);

        @RegisterExtension
        @Order(2)
        static final PgdbmTestDatabase DB = PgdbmTestDatabase.create()
                .withModule(TestDatabaseBenchmark.MODULE, TestDatabaseBenchmark.MIGRATIONS);

        @RegisterExtension
        @Order(3)
        static final Stopwatch INNER = new Stopwatch(false);

        @ParameterizedTest
        @MethodSource("io.pgdbm.bench.ExtensionTimings#tests")
        void insertsIntoAFreshDatabase(int test, @Injected ModuleDatabase shop) throws InterruptedException {
            body(shop, test);
        }
    }

    /** The rollback mode: one database for the class, each test in a transaction rolled back after it. */
    static final class RollbackMode {

        @RegisterExtension
        @Order(1)
        static final Stopwatch OUTER = new Stopwatch(true);

        @RegisterExtension
        @Order(2)
        static final PgdbmTestDatabase DB = PgdbmTestDatabase.create()
                .withModule(TestDatabaseBenchmark.MODULE, TestDatabaseBenchmark.MIGRATIONS).rollback();

        @RegisterExtension
        @Order(3)
        static final Stopwatch INNER = new Stopwatch(false);

        @ParameterizedTest
        @MethodSource("io.pgdbm.bench.ExtensionTimings#tests")
        void insertsInARolledBackTransaction(int test, @Injected ModuleDatabase shop) throws InterruptedException {
            body(shop, test);
        }
    }
}
