package io.pgdbm.it.liberty;

import io.pgdbm.it.server.Database;
import io.pgdbm.it.server.ServerProcess;
import io.pgdbm.it.server.ShopOnAServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The shop on Open Liberty 25 (the full runtime from Maven Central, unpacked by the build): server.xml's DataSource,
 * pgjdbc as a shared library, Liberty's transaction manager, mpMetrics-5.1 and mpHealth-4.0. The WAR is deployed
 * unexpanded first (the class loader serves wsjar: URLs, also for the jar in WEB-INF/lib), then expanded.
 */
class ShopOnOpenLibertyIT extends ShopOnAServer {

    private static final Path HOME = Path.of(System.getProperty("liberty.home"));
    private static final Path SERVER = HOME.resolve("usr/servers/shop");

    @Override
    protected ServerProcess start(Run run, Path war, Database database) throws Exception {
        Files.createDirectories(SERVER.resolve("apps"));
        Files.copy(Path.of(System.getProperty("liberty.config"), "server.xml"), SERVER.resolve("server.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        int port = ServerProcess.freePort();
        Files.writeString(SERVER.resolve("bootstrap.properties"), String.join("\n",
                "shop.http.port=" + port,
                "shop.expand=" + (run == Run.RESTART),
                "pg.host=" + database.host(),
                "pg.port=" + database.port(),
                "pg.database=" + database.name(),
                "pg.user=" + database.user(),
                "pg.password=" + database.password(), ""));
        Files.copy(war, SERVER.resolve("apps/shop.war"), StandardCopyOption.REPLACE_EXISTING);
        ServerProcess.deleteTree(SERVER.resolve("logs"));
        ServerProcess.deleteTree(SERVER.resolve("apps/expanded"));
        ServerProcess.deleteTree(SERVER.resolve("workarea"));
        Path output = Path.of("target", "liberty-" + run.name().toLowerCase() + ".out");
        ServerProcess server = ServerProcess.start("Open Liberty (" + run + ")",
                List.of(HOME.resolve("bin/server").toString(), "run", "shop"),
                Map.of("JAVA_HOME", System.getProperty("java.home")), output, SERVER.resolve("logs/messages.log"),
                URI.create("http://127.0.0.1:" + port + "/"),
                // CWWKF0011I: the server is ready; CWWKZ0002E: an application failed to start.
                log -> log.contains("CWWKF0011I") || log.contains("CWWKZ0002E"));
        if (run == Run.RESTART && !Files.isDirectory(SERVER.resolve("apps/expanded/shop.war/WEB-INF/classes"))) {
            server.close();
            throw new IllegalStateException("Liberty did not expand the WAR; the restart would not test file: URLs");
        }
        return server;
    }

    @Override
    protected boolean reportsDeploymentFailed(String log) {
        return log.contains("CWWKZ0002E: An exception occurred while starting the application shop");
    }
}
