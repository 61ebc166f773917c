package io.pgdbm.testing;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What {@link PgdbmTestConfigSource} serves: the {@code pgdbm.datasource.*} settings of the test database in use, and
 * the test classes whose per-test database does not exist right now.
 *
 * <p>Kept apart from the config source on purpose: {@link PgdbmTestDatabase} uses only this class, so a project with
 * pgdbm-testing and no MicroProfile Config on its class path (no CDI in its tests) never loads a class that implements
 * {@code org.eclipse.microprofile.config.spi.ConfigSource}.
 */
final class CurrentSettings {

    /** The keys the config source serves. */
    static final Set<String> KEYS = Set.of("pgdbm.datasource.url", "pgdbm.datasource.username",
            "pgdbm.datasource.password");

    private static volatile Map<String, String> current = Map.of();

    /**
     * Per thread that runs a test class in {@code create()} mode: why a container started on it now cannot have a test
     * database ({@code null} while a test of the class holds one).
     */
    private static final Map<Thread, Supplier<String>> BETWEEN_TESTS = new ConcurrentHashMap<>();

    private CurrentSettings() {
    }

    /** Makes {@code config} the settings served. */
    static void use(Map<String, String> config) {
        current = Map.copyOf(config);
    }

    /** Stops serving {@code config}, unless another test database's settings took its place meanwhile. */
    static synchronized void release(Map<String, String> config) {
        if (Objects.equals(current, config)) {
            current = Map.of();
        }
    }

    static Map<String, String> current() {
        return current;
    }

    /** From now on, a container that asks on this thread for a served key gets {@code problem}'s answer, if any. */
    static void watchThread(Supplier<String> problem) {
        BETWEEN_TESTS.put(Thread.currentThread(), problem);
    }

    static void unwatchThread() {
        BETWEEN_TESTS.remove(Thread.currentThread());
    }

    /**
     * Why asking for {@code key} now, on this thread, cannot give a test database's settings; {@code null} when
     * nothing is wrong.
     */
    static String problem(String key) {
        Supplier<String> problem = KEYS.contains(key) ? BETWEEN_TESTS.get(Thread.currentThread()) : null;
        return problem == null ? null : problem.get();
    }
}
