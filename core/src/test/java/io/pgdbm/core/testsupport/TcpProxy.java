package io.pgdbm.core.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on localhost for network failures in tests: it forwards every byte between its clients and a server,
 * until {@link #blackHole()} makes it behave like a network that silently drops traffic (a firewall, a NAT that forgot
 * the connection, a host that died): the sockets stay open and every byte sent is accepted and thrown away, so no
 * error and no answer ever reach either side.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(database.server().host(), database.server().port())) {
 *     Pgdbm pgdbm = Pgdbm.create(database.configBuilder().url(proxy.through(database.jdbcUrl())).build());
 *     ...
 *     proxy.blackHole();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean blackHole;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "tcp-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy, forwarding, to the server at {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("could not open a proxy port: " + e, e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db?...}) with its host and port replaced by this proxy's. */
    public String through(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//" + listener.getInetAddress().getHostAddress() + ":" + port() + "/");
    }

    /**
     * From now on, drops every byte in both directions, on open connections and new ones alike, keeping the sockets
     * open: the peers see a network that stopped answering, not a closed connection.
     */
    public void blackHole() {
        blackHole = true;
    }

    /** Forwards again; what was dropped meanwhile stays lost. */
    public void forward() {
        blackHole = false;
    }

    /** Connections the proxy accepted so far and has not seen closed. */
    public int openConnections() {
        return (int) sockets.stream().filter(socket -> !socket.isClosed()).count() / 2;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            pump(client, server, "up");
            pump(server, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            // Not closed by try-with-resources: closing a socket's stream closes the socket, which a black hole
            // must not do.
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!blackHole) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side closed or reset: the connection is over; nothing to report in a test helper.
            } finally {
                // A black hole passes no end of a connection on either: the other side stays open.
                if (!blackHole) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }
        }, "tcp-proxy-" + direction + "-" + from.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing a test proxy's socket cannot fail in a way a test cares about.
        }
    }
}
