package io.pgdbm.core.internal.pool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of the own pool's connections, with TCP keep-alive tuned to notice a dead peer within about a minute:
 * the first probe after {@link #IDLE} of silence, then one every {@link #INTERVAL}, the connection dropped after
 * {@link #COUNT} unanswered ones. The kernel's defaults (two hours before the first probe on Linux) would let a
 * connection to a host that vanished, or behind a NAT that forgot it, sit in the pool until someone uses it.
 *
 * <p>pgjdbc makes it by class name (its {@code socketFactory} property) and turns keep-alive itself on or off (its
 * {@code tcpKeepAlive} property, which pgdbm sets); this class only sets the timings, where the JDK and the operating
 * system support them. Internal, public only because pgjdbc instantiates it.
 */
public final class KeepAliveSocketFactory extends SocketFactory {

    /** Silence before the first probe. */
    public static final Duration IDLE = Duration.ofSeconds(30);
    /** Time between probes. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Unanswered probes before the kernel drops the connection. */
    public static final int COUNT = 3;

    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveSocketFactory.class);
    private static volatile boolean warned;

    /** For pgjdbc, which calls the public no-argument constructor. */
    public KeepAliveSocketFactory() {
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        tune(socket);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException, UnknownHostException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    /** Sets the keep-alive timings the platform supports; the others stay the kernel's. */
    static void tune(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        boolean all = set(socket, ExtendedSocketOptions.TCP_KEEPIDLE, (int) IDLE.toSeconds())
                & set(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) INTERVAL.toSeconds())
                & set(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, COUNT);
        if (!all && !warned) {
            warned = true;
            LOG.info("pgdbm - this platform does not let Java set every TCP keep-alive timing (supported: {}); a dead "
                    + "database host may take the operating system's keep-alive time to notice", socket
                    .supportedOptions());
        }
    }

    private static boolean set(Socket socket, SocketOption<Integer> option, int value) throws IOException {
        if (!socket.supportedOptions().contains(option)) {
            return false;
        }
        socket.setOption(option, value);
        return true;
    }
}
