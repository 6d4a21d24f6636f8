package io.weft.control;

import io.weft.control.FrameType.Sender;
import io.weft.control.internal.ControlEndpoint;
import io.weft.control.internal.HandshakeAdmissionFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manager side of the control protocol: a MINA acceptor with mutual TLS, the control codec
 * and the session rules of {@link ControlListener}.
 *
 * <pre>{@code
 * ControlServer server = new ControlServer(sslContext, ControlSettings.defaults(), listener);
 * InetSocketAddress bound = server.bind(new InetSocketAddress("0.0.0.0", 4443));
 * ...
 * server.close();
 * }</pre>
 *
 * The listener responds to each {@link Hello}, for example with
 * {@code session.send(HelloAck.negotiate(ControlProtocol.SUPPORTED_VERSIONS, hello, interval))}.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    /**
     * TLS handshakes that the server runs at once. A full mutual-TLS handshake costs a few CPU
     * milliseconds, so this keeps a reconnecting fleet from queueing handshakes past their
     * timeout.
     */
    public static final int MAX_CONCURRENT_HANDSHAKES = 64;

    /**
     * Connections that wait, with their reads suspended, for one of the
     * {@link #MAX_CONCURRENT_HANDSHAKES} slots; further connections are closed before any TLS
     * work. The bound limits the sockets and memory that a flood of connections can hold. A
     * connection waits at most half of the handshake timeout, so the node has the other half
     * for its handshake. With the default wait of 15 s, 4,096 connections drain in time at 273
     * handshakes/s, or 7.3 ms of CPU per handshake on 2 cores. bench/control-plane measured
     * 6 to 7 ms on such a machine.
     */
    public static final int MAX_QUEUED_HANDSHAKES = 64 * MAX_CONCURRENT_HANDSHAKES;

    /**
     * Listen backlog of the control port. Right after the port opens, thousands of nodes that
     * retried during the manager's restart connect within seconds. A backlog of MINA's default,
     * 50, would drop their SYNs whenever the acceptor thread lags, and each dropped SYN delays
     * its node by the kernel's retransmission timeout of 1 s or more. Linux caps the value at
     * {@code net.core.somaxconn}.
     */
    public static final int LISTEN_BACKLOG = 4096;

    private final NioSocketAcceptor acceptor = new NioSocketAcceptor();
    private final ControlEndpoint endpoint;
    private final ControlSettings settings;

    /**
     * @param sslContext key manager with the manager's certificate and a trust manager that
     *     accepts only node chains to the Weft CA
     */
    public ControlServer(SSLContext sslContext, ControlSettings settings, ControlListener listener) {
        Objects.requireNonNull(sslContext, "sslContext");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoint = new ControlEndpoint("server", Sender.MANAGER, settings, listener);
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(LISTEN_BACKLOG);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setKeepAlive(true);
        endpoint.configure(acceptor, ControlTls.serverFilter(sslContext), settings);
        acceptor.getFilterChain().addAfter("ssl", "admission", new HandshakeAdmissionFilter(MAX_CONCURRENT_HANDSHAKES,
                MAX_QUEUED_HANDSHAKES, settings.handshakeTimeout().dividedBy(2), System::nanoTime));
    }

    /**
     * Starts listening. Pass port 0 for a free port.
     *
     * @return the address actually bound
     * @throws IllegalStateException when the server is already bound or closed
     */
    public synchronized InetSocketAddress bind(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (acceptor.isDisposing()) {
            throw new IllegalStateException("The control server is closed");
        }
        if (acceptor.isActive()) {
            throw new IllegalStateException("The control server is already bound to " + acceptor.getLocalAddress());
        }
        acceptor.bind(address);
        InetSocketAddress bound = acceptor.getLocalAddress();
        LOG.info("Control server: listening on {} (handshake timeout {} ms, HELLO timeout {} ms, heartbeat {} s,"
                + " {} missed closes, payloads up to {} bytes, {} handler threads)", bound,
                settings.handshakeTimeout().toMillis(), settings.helloTimeout().toMillis(),
                settings.heartbeatIntervalSeconds(), settings.maxMissedHeartbeats(), settings.maxPayloadBytes(),
                settings.handlerThreads());
        return bound;
    }

    /** Returns the number of open TCP connections, including those still in the TLS handshake. */
    public int sessionCount() {
        return acceptor.getManagedSessionCount();
    }

    /** Closes every session, stops listening and stops all threads of this server. */
    @Override
    public synchronized void close() {
        if (acceptor.isDisposed()) {
            return;
        }
        InetSocketAddress bound = acceptor.isActive() ? acceptor.getLocalAddress() : null;
        endpoint.close(acceptor);
        if (bound != null) {
            LOG.info("Control server: stopped listening on {}", bound);
        }
    }
}
