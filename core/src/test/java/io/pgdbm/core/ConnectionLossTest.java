package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.QueryException;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A lost connection says so ({@link QueryException#isConnectionLost()}), and what happened to it stays readable
 * while values are hidden: a socket timeout, a reset and an end of stream are told apart by message and cause.
 */
@ExtendWith(PostgresDatabaseExtension.class)
class ConnectionLossTest {

    private static final String SLEEP = "SELECT pg_sleep(10)";

    @Test
    void terminatedSessionIsAConnectionLostWithSqlState57P01(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(2).poolMinIdle(0).build())) {
            ModuleDatabase orders = pgdbm.module("orders");

            QueryException failure = catchQuery(() -> orders.useTransaction(tx -> {
                int pid = tx.fetchValue("SELECT pg_backend_pid()", Integer.class);
                terminate(database, "pid = " + pid);
                tx.execute("SELECT 1");
            }));

            assertThat(failure.getSqlState()).isEqualTo("57P01");
            assertThat(failure.isConnectionLost()).isTrue();
            assertThat(failure).hasMessageStartingWith("orders - terminating connection due to administrator command "
                    + "[SQLState 57P01]\n  SQL: SELECT 1")
                    .hasMessageEndingWith("\n  Connection lost: a transaction open on it was rolled back, and a "
                            + "statement sent outside one may or may not have taken effect. Retry the work on a new "
                            + "connection (QueryException.isConnectionLost())");
            assertThat(orders.fetchValue("SELECT 1", Integer.class)).as("the pool dropped the lost connection")
                    .isEqualTo(1);
        }
    }

    @Test
    void socketTimeoutResetAndEndOfStreamAreToldApart(TestDatabase database) throws Exception {
        QueryException timeout;
        QueryException reset;
        QueryException ended;
        try (Pgdbm pgdbm = Pgdbm.wrap(dataSource(database, database.server().host(), database.server().port(), 1))) {
            timeout = catchQuery(() -> pgdbm.module("orders").execute(SLEEP));
        }
        try (CuttableProxy proxy = new CuttableProxy(database.server().host(), database.server().port());
                Pgdbm pgdbm = Pgdbm.wrap(dataSource(database, "127.0.0.1", proxy.port(), 0))) {
            reset = cutWhileWaiting(database, pgdbm.module("orders"), () -> proxy.cut(true));
            ended = cutWhileWaiting(database, pgdbm.module("orders"), () -> proxy.cut(false));
        } finally {
            terminate(database, "query = '" + SLEEP + "'");
        }

        assertThat(timeout).hasMessageStartingWith("orders - An I/O error occurred while sending to the backend. "
                + "(java.net.SocketTimeoutException: Read timed out) [SQLState 08006]");
        assertThat(reset).hasMessageStartingWith("orders - An I/O error occurred while sending to the backend. "
                + "(java.net.SocketException: Connection reset) [SQLState 08006]");
        assertThat(ended).hasMessageStartingWith("orders - An I/O error occurred while sending to the backend. "
                + "(java.io.EOFException) [SQLState 08006]");
        assertThat(chain(timeout)).anySatisfy(cause -> assertThat(cause).isInstanceOf(SocketTimeoutException.class));
        assertThat(chain(reset)).anySatisfy(cause -> assertThat(cause).isExactlyInstanceOf(SocketException.class)
                .hasMessage("Connection reset"));
        assertThat(chain(ended)).anySatisfy(cause -> assertThat(cause).isInstanceOf(EOFException.class));
        for (QueryException failure : List.of(timeout, reset, ended)) {
            assertThat(failure.isConnectionLost()).isTrue();
            assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("08006");
        }
    }

    /** Runs a long statement, cuts its connection once the server runs it, and gives the failure. */
    private static QueryException cutWhileWaiting(TestDatabase database, ModuleDatabase module, Runnable cut)
            throws Exception {
        // A session of an earlier case may still sleep on the server: it must not pass for this one's.
        terminate(database, "query = '" + SLEEP + "'");
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> module.execute(SLEEP));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!isRunning(database)) {
            assertThat(System.nanoTime()).as("the statement reached the server").isLessThan(deadline);
            Thread.sleep(20);
        }
        cut.run();
        Throwable failure = running.handle((ok, error) -> error).get();
        assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(QueryException.class);
        return (QueryException) failure.getCause();
    }

    private static boolean isRunning(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE query = ? AND state = 'active'")) {
            statement.setString(1, SLEEP);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getInt(1) > 0;
            }
        }
    }

    /** Ends the sessions of the test database that match {@code condition}, and waits until they are gone. */
    private static void terminate(TestDatabase database, String condition) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(pid, 5000) "
                        + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND "
                        + condition)) {
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DataSource dataSource(TestDatabase database, String host, int port, int socketTimeoutSeconds) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database.name());
        dataSource.setUser(database.username());
        dataSource.setPassword(database.password());
        dataSource.setSocketTimeout(socketTimeoutSeconds);
        dataSource.setLogServerErrorDetail(false);
        return dataSource;
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new CopyOnWriteArrayList<>();
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    private static QueryException catchQuery(Runnable call) {
        try {
            call.run();
        } catch (QueryException e) {
            return e;
        }
        throw new AssertionError("expected a QueryException");
    }

    /**
     * A TCP relay in front of the real server whose client connections can be cut: with a reset (RST), or by
     * ending the stream (FIN) as a server or a middlebox that goes away does.
     */
    private static final class CuttableProxy implements AutoCloseable {

        private final ServerSocket listener;
        private final List<Socket> clients = new CopyOnWriteArrayList<>();

        CuttableProxy(String host, int port) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(host, port);
                        clients.add(client);
                        relay(client, server);
                        relay(server, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        /** Cuts every client connection: a reset, or an end of stream. */
        void cut(boolean reset) {
            for (Socket client : clients) {
                try {
                    if (reset) {
                        client.setSoLinger(true, 0);
                        client.close();
                    } else {
                        client.shutdownOutput();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            clients.clear();
        }

        private static void relay(Socket from, Socket to) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException e) {
                    // One side went away: the other follows when its own pump ends.
                }
            }, "proxy-relay");
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
