package io.weft.control;

import io.weft.control.FrameType.Sender;
import io.weft.control.internal.ControlEndpoint;
import io.weft.control.internal.ControlHandler;
import io.weft.control.internal.ControlSslFilter;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * Node side of the control protocol for many nodes in one process, such as a load generator
 * or a test. One MINA connector with a fixed number of I/O threads, one HELLO timer and one
 * handler pool serve every session, and each connection brings its own TLS context and
 * listener. A {@link ControlClient} owns all of these for a single node, so thousands of
 * clients in one JVM would start thousands of threads and selectors.
 *
 * <p>Sessions behave as those of a {@link ControlClient}: mutual TLS with the filters of
 * {@link ControlTls}, the handshake and HELLO timeouts, heartbeats at the interval of the
 * HELLO_ACK, and the listener rules of {@link ControlListener}. Reconnecting is left to the
 * caller.
 *
 * <pre>{@code
 * ControlConnector connector = new ControlConnector(ControlSettings.defaults(), 2);
 * connector.connect(manager, nodeSslContext, nodeListener).thenAccept(session -> ...);
 * ...
 * connector.close();
 * }</pre>
 */
public final class ControlConnector implements AutoCloseable {

    private final NioSocketConnector connector;
    private final ControlEndpoint endpoint;

    /**
     * @param ioThreads MINA I/O threads (processors) that all sessions share, at least 1
     * @throws IllegalStateException when the JDK has no default TLS context, which the shared
     *     filter needs until each session's own context takes over
     */
    public ControlConnector(ControlSettings settings, int ioThreads) {
        Objects.requireNonNull(settings, "settings");
        Require.positive(ioThreads, "ioThreads");
        this.connector = new NioSocketConnector(ioThreads);
        this.endpoint = new ControlEndpoint("connector", Sender.NODE, settings, ControlConnector::noListener);
        connector.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getSessionConfig().setKeepAlive(true);
        endpoint.configure(connector, ControlTls.clientFilter(defaultContext()), settings);
    }

    /**
     * Connects one node to the manager, presenting the certificate of {@code sslContext} and
     * reporting the session's events to {@code listener} only. The manager's certificate must
     * match the host name or IP address in {@code manager} as given.
     *
     * @param sslContext key manager with the node's certificate and a trust manager that
     *     accepts only the manager's chain to the Weft CA
     * @return a future completed with the session once its TLS handshake has completed, or
     *     exceptionally when the connection or the handshake failed
     */
    public CompletableFuture<ControlSession> connect(InetSocketAddress manager, SSLContext sslContext,
            ControlListener listener) {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(listener, "listener");
        CompletableFuture<ControlSession> secured = new CompletableFuture<>();
        ConnectFuture connecting = connector.connect(manager, (session, future) -> {
            session.setAttribute(ControlSslFilter.PEER_HOST, manager.getHostString());
            session.setAttribute(ControlSslFilter.SSL_CONTEXT, sslContext);
            session.setAttribute(ControlHandler.LISTENER, listener);
            session.setAttribute(ControlHandler.CONNECT_FUTURE, secured);
        });
        connecting.addListener(future -> {
            Throwable failure = ((ConnectFuture) future).getException();
            if (failure != null) {
                secured.completeExceptionally(failure);
            }
        });
        return secured;
    }

    /** Returns the number of open TCP connections, including those still in the TLS handshake. */
    public int sessionCount() {
        return connector.getManagedSessionCount();
    }

    /** Closes every session and stops all threads of this connector. */
    @Override
    public synchronized void close() {
        if (!connector.isDisposed()) {
            endpoint.close(connector);
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no default TLS context: " + e.getMessage(), e);
        }
    }

    /** Replaces the endpoint's listener, which never runs because every session sets its own. */
    private static void noListener(ControlSession session, ControlMessage message) {
        throw new IllegalStateException("Control session " + session.id() + " has no listener");
    }
}
