package io.pgdbm.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgdbm dev}: an embedded PostgreSQL in the foreground until Ctrl-C. */
@Command(name = "dev", description = {"Run a throw-away PostgreSQL until Ctrl-C.",
    "An embedded server in the foreground; prints the URL to use; its data is thrown away when it stops."})
final class DevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "port to listen on (default: a free one)")
    Integer port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
        if (port != null) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("pgdbm: stopping PostgreSQL failed: " + e.getMessage());
            }
            stopped.countDown();
        }, "pgdbm-dev-stop"));
        spec.commandLine().getOut().println("PostgreSQL is running (no password: local connections are trusted).\n"
                + "  export PGDBM_DATASOURCE_URL='jdbc:postgresql://localhost:" + postgres.getPort()
                + "/postgres?user=postgres'\nPress Ctrl-C to stop it; its data is thrown away.");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
