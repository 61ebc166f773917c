package io.pgdbm.extension;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.lite.extension.translator.LiteExtensionTranslator;

/**
 * Starts Weld SE containers with the pgdbm extension and their own MicroProfile Config (SmallRye), so tests, and
 * containers running at once, do not see each other's settings.
 */
final class Containers {

    private Containers() {
    }

    /**
     * Settings for an own pool of three connections on {@code database}, plus {@code more} as key, value, key, value...
     */
    static Map<String, String> ownPool(TestDatabase database, String... more) {
        Map<String, String> config = new HashMap<>(Map.of(
                "pgdbm.datasource.url", database.jdbcUrl(),
                "pgdbm.datasource.username", database.username(),
                "pgdbm.pool.max-size", "3",
                "pgdbm.pool.min-idle", "0"));
        if (database.password() != null) {
            config.put("pgdbm.datasource.password", database.password());
        }
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    /** Makes {@code values} the configuration MicroProfile Config gives code running with {@code loader}. */
    static void configure(ClassLoader loader, Map<String, String> values) {
        configure(loader, values, Map.of());
    }

    /**
     * {@link #configure(ClassLoader, Map)}, with {@code environment} as the environment variables SmallRye Config's
     * environment source reads (the process's own are left out, so tests do not depend on them).
     */
    static void configure(ClassLoader loader, Map<String, String> values, Map<String, String> environment) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        release(loader);
        resolver.registerConfig(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "pgdbm-test", 400))
                .withSources(new EnvConfigSource(environment, 300)).build(), loader);
    }

    static void release(ClassLoader loader) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.releaseConfig(resolver.getConfig(loader));
    }

    /**
     * A started container with the extension, the given bean classes and {@code config}; discovery is off.
     *
     * @throws RuntimeException what Weld throws when deployment fails
     */
    static WeldContainer start(Map<String, String> config, Class<?>... beans) {
        return start(Kind.FULL, config, beans);
    }

    /** Which of pgdbm's extensions the container runs. */
    enum Kind {
        /** The portable extension, as Weld-based servers run it. */
        FULL,
        /** The build compatible extension only ({@link LiteOnWeld}), through Weld's translator: the CDI Lite path. */
        LITE,
        /** Both, as a Weld-based server sees the jar: the build compatible one must stay off. */
        BOTH
    }

    static WeldContainer start(Kind kind, Map<String, String> config, Class<?>... beans) {
        return start(kind, config, weld -> { }, beans);
    }

    /** {@link #start(Kind, Map, Class[])}, with more set-up of the container ({@code weld.addExtension(...)}). */
    static WeldContainer start(Kind kind, Map<String, String> config, Consumer<Weld> setUp, Class<?>... beans) {
        return start(kind, config, Map.of(), setUp, beans);
    }

    /** A container whose configuration has {@code environment} as its environment variables. */
    static WeldContainer startWithEnvironment(Map<String, String> config, Map<String, String> environment,
            Class<?>... beans) {
        return start(Kind.FULL, config, environment, weld -> { }, beans);
    }

    private static WeldContainer start(Kind kind, Map<String, String> config, Map<String, String> environment,
            Consumer<Weld> setUp, Class<?>... beans) {
        ClassLoader own = new URLClassLoader(new URL[0], Containers.class.getClassLoader());
        configure(own, config, environment);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(own);
        try {
            Weld weld = new Weld("pgdbm-test-" + UUID.randomUUID()).disableDiscovery().addBeanClasses(beans);
            if (kind != Kind.LITE) {
                weld.addExtension(new PgdbmExtension());
            }
            if (kind == Kind.LITE) {
                weld.addExtension(new LiteExtensionTranslator(List.of(LiteOnWeld.class), own));
            } else if (kind == Kind.BOTH) {
                weld.addExtension(new LiteExtensionTranslator(List.of(PgdbmBuildCompatibleExtension.class), own));
            }
            setUp.accept(weld);
            return weld.initialize();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
