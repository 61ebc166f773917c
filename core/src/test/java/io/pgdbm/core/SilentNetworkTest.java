package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.internal.pool.KeepAliveSocketFactory;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationResult;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TcpProxy;
import io.pgdbm.core.testsupport.TestDatabase;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;

/**
 * A network that silently drops traffic (a firewall, a NAT timeout, a dead host) must not hang a call: the server's
 * timeouts cannot help, since its answer never arrives, so the client bounds every wait. Through {@link TcpProxy}.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class SilentNetworkTest {

    /** How much later than the socket timeout a failure may come and still prove "bounded" on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void queryInFlightWhenTheNetworkGoesSilentFailsWithinTheSocketTimeout(TestDatabase database) throws Exception {
        try (TcpProxy proxy = TcpProxy.to(database.server().host(), database.server().port());
                Pgdbm pgdbm = Pgdbm.create(database.configBuilder().url(proxy.through(database.jdbcUrl()))
                        .socketTimeout(Duration.ofSeconds(2)).poolMaxSize(2).poolMinIdle(0).build())) {
            ModuleDatabase db = pgdbm.module("orders");
            assertThat(db.fetchValue("SELECT 1", Integer.class)).isEqualTo(1);

            CompletableFuture<Integer> call = CompletableFuture.supplyAsync(
                    () -> db.fetchValue("SELECT 1 FROM pg_sleep(0.5)", Integer.class));
            Thread.sleep(200);
            proxy.blackHole();
            long started = System.nanoTime();
            Throwable failure = failureWithin(call, Duration.ofSeconds(2).plus(SLACK));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("black hole, pgdbm.socket-timeout=2s: the call in flight failed after " + millis
                    + "ms");

            assertThat(failure).isInstanceOf(QueryException.class)
                    .hasMessageContaining("orders - An I/O error occurred while sending to the backend")
                    .hasMessageContaining("no answer from the server within the socket timeout "
                            + "(pgdbm.socket-timeout, now 2s)")
                    .hasMessageContaining("raise pgdbm.socket-timeout");
            assertThat(((QueryException) failure).getSqlState()).isEqualTo("08006");
            assertThat(pgdbm.poolStats()).get().as("the broken connection is not counted active")
                    .extracting(PoolStats::active).isEqualTo(0);
        }
    }

    @Test
    void querySentIntoASilentNetworkFailsWithinTheStatementTimeoutPlusTenSeconds(TestDatabase database)
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(database.server().host(), database.server().port());
                Pgdbm pgdbm = Pgdbm.create(database.configBuilder().url(proxy.through(database.jdbcUrl()))
                        .statementTimeout(Duration.ofSeconds(1)).poolMaxSize(1).poolMinIdle(0).build())) {
            ModuleDatabase db = pgdbm.module("orders");
            assertThat(db.fetchValue("SELECT 1", Integer.class)).isEqualTo(1);
            assertThat(pgdbm.config().socketTimeout()).isEqualTo(Duration.ofSeconds(11));

            proxy.blackHole();
            long started = System.nanoTime();
            Throwable failure = failureWithin(CompletableFuture.supplyAsync(
                    () -> db.fetchValue("SELECT 2", Integer.class)), Duration.ofSeconds(11).plus(SLACK));
            System.out.println("black hole, pgdbm.statement-timeout=1s (socket timeout derived: 11s): the call failed "
                    + "after " + (System.nanoTime() - started) / 1_000_000 + "ms");

            assertThat(failure).isInstanceOf(QueryException.class)
                    .hasMessageContaining("(pgdbm.socket-timeout, now 11s)");
        }
    }

    /** The figure with every default (70s); too slow for every build: {@code -Dpgdbm.test.slow=true}. */
    @Test
    @EnabledIfSystemProperty(named = "pgdbm.test.slow", matches = "true")
    void querySentIntoASilentNetworkWithTheDefaultsFailsWithinSeventySeconds(TestDatabase database)
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(database.server().host(), database.server().port());
                Pgdbm pgdbm = Pgdbm.create(database.configBuilder().url(proxy.through(database.jdbcUrl()))
                        .build())) {
            ModuleDatabase db = pgdbm.module("orders");
            assertThat(db.fetchValue("SELECT 1", Integer.class)).isEqualTo(1);

            proxy.blackHole();
            long started = System.nanoTime();
            Throwable failure = failureWithin(CompletableFuture.supplyAsync(
                    () -> db.fetchValue("SELECT 2", Integer.class)), Duration.ofSeconds(70).plus(SLACK));
            System.out.println("black hole, defaults (socket timeout 70s): the call failed after "
                    + (System.nanoTime() - started) / 1_000_000 + "ms");

            assertThat(failure).isInstanceOf(QueryException.class)
                    .hasMessageContaining("(pgdbm.socket-timeout, now 70s)");
        }
    }

    @Test
    void everyConnectionWaitsTheStatementTimeoutPlusTenSecondsUnlessTheKeyOrTheUrlSaysOtherwise(
            TestDatabase database) {
        assertThat(networkTimeoutMillis(database.configBuilder())).as("defaults: 60s + 10s").isEqualTo(70_000);
        assertThat(networkTimeoutMillis(database.configBuilder().statementTimeout(Duration.ofMillis(1500))))
                .as("rounded up to whole seconds").isEqualTo(12_000);
        assertThat(networkTimeoutMillis(database.configBuilder().statementTimeout(Duration.ZERO)))
                .as("no statement timeout: no socket timeout").isZero();
        assertThat(networkTimeoutMillis(database.configBuilder().socketTimeout(Duration.ofSeconds(5))))
                .isEqualTo(5_000);
        assertThat(networkTimeoutMillis(database.configBuilder().socketTimeout(Duration.ZERO))).isZero();
        String url = database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "socketTimeout=33";
        assertThat(networkTimeoutMillis(database.configBuilder().url(url))).as("the URL's wins").isEqualTo(33_000);
    }

    @Test
    void everyConnectionProbesAnIdlePeerWithinAboutAMinute(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(1).poolMinIdle(0).build())) {
            Socket socket = pgdbm.module("orders").withConnection(connection -> {
                QueryExecutorBase executor = (QueryExecutorBase) connection.unwrap(BaseConnection.class)
                        .getQueryExecutor();
                return socketOf(executor);
            });

            assertThat(socket.getKeepAlive()).isTrue();
            assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(30);
            assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(10);
            assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(3);
            assertThat(KeepAliveSocketFactory.IDLE.plus(KeepAliveSocketFactory.INTERVAL
                    .multipliedBy(KeepAliveSocketFactory.COUNT))).isLessThanOrEqualTo(Duration.ofMinutes(1));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void migrationRunsLongerThanThePoolSocketTimeoutAndTheConnectionGetsThePoolsBack(TestDatabase database)
            throws Exception {
        Files.writeString(dir.resolve("001_slow.sql"),
                "SELECT pg_sleep(2.5);\nCREATE TABLE {{tables.done}} (id int);\n");
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().socketTimeout(Duration.ofSeconds(1))
                .poolMaxSize(1).poolMinIdle(0).build())) {
            ModuleDatabase db = pgdbm.module("slow");

            MigrationResult result = new Migrator(pgdbm, db, MigrationFiles.fromDirectory("slow", dir),
                    MigrationOptions.defaults()).migrate();

            assertThat(result.applied()).hasSize(1);
            int afterwards = db.withConnection(connection -> connection.getNetworkTimeout());
            assertThat(afterwards).as("the pool's socket timeout is back on the migration's connection")
                    .isEqualTo(1000);
        }
    }

    private static int networkTimeoutMillis(DatabaseConfig.Builder builder) {
        try (Pgdbm pgdbm = Pgdbm.create(builder.poolMaxSize(1).poolMinIdle(0).build())) {
            return pgdbm.module("orders").withConnection(connection -> connection.getNetworkTimeout());
        }
    }

    private static Socket socketOf(QueryExecutorBase executor) {
        try {
            Field stream = QueryExecutorBase.class.getDeclaredField("pgStream");
            stream.setAccessible(true);
            return ((PGStream) stream.get(executor)).getSocket();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("pgjdbc's QueryExecutorBase has no pgStream field any more", e);
        }
    }

    /** The failure of {@code call}, which must come within {@code bound}: a call that hangs fails the test. */
    private static Throwable failureWithin(CompletableFuture<?> call, Duration bound) throws InterruptedException {
        try {
            Object result = call.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the call succeeded through a silent network: " + result);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the call still waited after " + bound.toSeconds() + "s: it is not bounded");
        }
    }
}
