package io.pgdbm.it.payara;

import io.pgdbm.it.server.Database;
import io.pgdbm.it.server.ServerProcess;
import io.pgdbm.it.server.ShopOnAServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The shop on Payara Micro 6 (the jar from Maven Central): a JDBC pool and resource made by post-boot commands,
 * pgjdbc added with {@code --addlibs}, Payara's transaction manager, MicroProfile Metrics and Health.
 */
class ShopOnPayaraMicroIT extends ShopOnAServer {

    private static final Path CONFIG = Path.of(System.getProperty("payara.config"));

    @Override
    protected ServerProcess start(Run run, Path war, Database database) throws Exception {
        int port = ServerProcess.freePort();
        String name = run.name().toLowerCase();
        // A fresh domain each time: an earlier run's would keep its JDBC pool, with that run's database in it.
        Path root = Path.of("target", "payara-" + name).toAbsolutePath();
        ServerProcess.deleteTree(root);
        return ServerProcess.start("Payara Micro (" + run + ")", List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", System.getProperty("payara.micro"),
                        "--deploy", war.toString(),
                        "--contextroot", "shop",
                        "--port", Integer.toString(port),
                        "--nohazelcast",
                        "--rootDir", root.toString(),
                        "--prebootcommandfile", CONFIG.resolve("pre-boot-commands.asadmin").toString(),
                        "--postbootcommandfile", CONFIG.resolve("post-boot-commands.asadmin").toString(),
                        "--addlibs", System.getProperty("postgresql.jar")),
                Map.of("PG_HOST", database.host(), "PG_PORT", Integer.toString(database.port()),
                        "PG_DATABASE", database.name(), "PG_USER", database.user(),
                        "PG_PASSWORD", database.password()),
                Path.of("target", "payara-" + name + ".out"), Path.of("target", "payara-" + name + ".out"),
                URI.create("http://127.0.0.1:" + port + "/"),
                // Payara says it is ready whether or not the application deployed.
                log -> log.contains(") ready in "));
    }

    @Override
    protected boolean reportsDeploymentFailed(String log) {
        return log.contains("Exception while loading the app");
    }
}
