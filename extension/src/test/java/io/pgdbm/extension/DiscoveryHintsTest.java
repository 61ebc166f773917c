package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.extension.fixtures.Checkout;
import io.pgdbm.extension.fixtures.UsersModule;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class in an archive without {@code META-INF/beans.xml} is invisible to a CDI Full container, and the container's
 * own error names a bean, not the cause: pgdbm says what to add. These containers discover their beans as an
 * application's would (Weld SE with discovery on): this module's test classes, which hold the {@code @DatabaseModule}
 * fixtures, have no beans.xml.
 */
class DiscoveryHintsTest {

    private static final Map<String, String> NO_DATABASE = Map.of("pgdbm.datasource.url",
            "jdbc:postgresql://127.0.0.1:1/none", "pgdbm.connect.attempts", "1");

    private static final String BEANS_XML = "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\" "
            + "bean-discovery-mode=\"all\"/>\n";

    @Test
    void noModuleDiscoveredWarnsAtStartNamingBeansXml() throws Exception {
        String[] log = new String[1];
        try (WeldContainer container = captureStandardError(log, () -> discovering(new URL[0]))) {
            assertThat(container.select(DatabaseModules.class).get().names()).isEmpty();
            assertThat(container.select(UsersModule.class).isUnsatisfied()).as("a module class without beans.xml")
                    .isTrue();
        }

        assertThat(log[0]).contains("WARN").contains("pgdbm - no @DatabaseModule class was discovered, so there is no "
                + "module to migrate or inject. Weld SE, and any container that does not scan implicit bean "
                + "archives, sees classes only in archives with a META-INF/beans.xml: add one to the jar or classes "
                + "folder that holds your @DatabaseModule classes (in a Maven project, "
                + "src/main/resources/META-INF/beans.xml");
    }

    @Test
    void unknownModuleSaysTheClassDeclaringItMayLackBeansXml(@TempDir Path archive) throws Exception {
        // A bean archive that holds Checkout, which injects @Module("users") and @Module("orders"); the module classes
        // stay in the test classes, which have no beans.xml.
        Files.createDirectories(archive.resolve("META-INF"));
        Files.writeString(archive.resolve("META-INF/beans.xml"), BEANS_XML);
        String classFile = Checkout.class.getName().replace('.', '/') + ".class";
        Path copy = archive.resolve(classFile);
        Files.createDirectories(copy.getParent());
        try (InputStream in = Checkout.class.getClassLoader().getResourceAsStream(classFile)) {
            Files.copy(in, copy);
        }

        assertThatThrownBy(() -> discovering(new URL[] {archive.toUri().toURL()}).close())
                .hasStackTraceContaining(Checkout.class.getName() + ".users injects @Module(\"users\") "
                        + "ModuleDatabase, but there is no module users (modules: []); fix the name, or declare it "
                        + "with @DatabaseModule(name = \"users\", schema = \"...\"). If a class does declare module "
                        + "users, the container did not discover it: most often the jar or classes folder that holds "
                        + "it has no META-INF/beans.xml (in a Maven project, add "
                        + "src/main/resources/META-INF/beans.xml)");
    }

    @ApplicationScoped
    static class Clock {
    }

    @Test
    void noModuleDiscoveredWarnsOnTheCdiLitePathToo() throws Exception {
        String[] log = new String[1];
        captureStandardError(log, () -> {
            Containers.start(Containers.Kind.LITE, NO_DATABASE, Clock.class).close();
            return null;
        });

        assertThat(log[0]).contains("pgdbm - no @DatabaseModule class was discovered, so there is no module to "
                + "migrate or inject. The container sees the application's own classes and, in dependencies, only "
                + "bean archives: a @DatabaseModule class in a jar needs META-INF/beans.xml in that jar");
    }

    /** A Weld SE container that discovers its beans on the test class path plus {@code archives}. */
    private static WeldContainer discovering(URL[] archives) {
        ClassLoader own = new URLClassLoader(archives, DiscoveryHintsTest.class.getClassLoader());
        Containers.configure(own, NO_DATABASE);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(own);
        try {
            return new Weld("pgdbm-discovery-" + UUID.randomUUID()).initialize();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@code work} with what it logs captured into {@code log[0]}: standard error, where slf4j-simple writes
     * (pgdbm's logger), and java.util.logging, where JBoss Logging writes when it finds no other backend (Weld's
     * logger, which reports a build compatible extension's messages).
     */
    private static <T> T captureStandardError(String[] log, Callable<T> work) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Handler julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                capture.println(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(julHandler);
        System.setErr(capture);
        try {
            return work.call();
        } finally {
            System.setErr(original);
            root.removeHandler(julHandler);
            log[0] = captured.toString(StandardCharsets.UTF_8);
        }
    }
}
