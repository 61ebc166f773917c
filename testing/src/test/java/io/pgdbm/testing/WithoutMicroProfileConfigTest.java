package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * pgdbm-testing needs no MicroProfile Config: a project with only pgdbm-testing and JUnit (the README's testing guide)
 * has neither the API nor an implementation on its class path. The guide's test runs here on this module's test class
 * path without them, in a class loader of its own.
 */
class WithoutMicroProfileConfigTest {

    private static final String GUIDE_TEST = "io.pgdbm.testing.guide.AccountsTest";

    @Test
    void theGuidesTestPassesWithNoMicroProfileConfigOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : testClassPath().split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!name.startsWith("microprofile-config-api") && !name.startsWith("smallrye-config")) {
                urls.add(url(entry));
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(isolated.getResource("org/eclipse/microprofile/config/spi/ConfigSource.class"))
                    .as("MicroProfile Config on the isolated class path").isNull();

            String outcome = (String) isolated.loadClass(Run.class.getName()).getMethod("run", String.class)
                    .invoke(null, GUIDE_TEST);

            assertThat(outcome).isEqualTo("registersAnAccount(ModuleDatabase): SUCCESSFUL\n");
        }
    }

    /** The test class path: surefire puts it in a manifest-only jar and names it in this property. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }

    /** Loaded again by the isolated class loader: runs a test class there, and says how each test ended. */
    public static final class Run {

        private Run() {
        }

        public static String run(String testClass) throws ClassNotFoundException {
            ClassLoader loader = Run.class.getClassLoader();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(Class.forName(testClass, true, loader))).build();
                StringBuilder outcome = new StringBuilder();
                LauncherFactory.create().execute(request, new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                        if (identifier.isTest()) {
                            outcome.append(identifier.getDisplayName()).append(": ").append(result.getStatus())
                                    .append(result.getThrowable().map(e -> " " + e).orElse("")).append('\n');
                        }
                    }
                });
                return outcome.toString();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }
}
