package io.weft.control;

import io.weft.control.FrameType.Sender;
import io.weft.control.internal.ControlEndpoint;
import io.weft.control.internal.ControlHandler;
import io.weft.control.internal.ControlSslFilter;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * Node side of the control protocol: a MINA connector with mutual TLS, the control codec and
 * the session rules of {@link ControlListener}. Reconnecting is left to the caller, for
 * example with an {@link ExponentialBackoff}.
 *
 * <pre>{@code
 * ControlClient client = new ControlClient(sslContext, ControlSettings.defaults(), listener);
 * client.connect(new InetSocketAddress("manager.example", 4443))
 *         .thenAccept(session -> ...);  // the listener's sessionOpened sends the Hello
 * ...
 * client.close();
 * }</pre>
 */
public final class ControlClient implements AutoCloseable {

    private final NioSocketConnector connector = new NioSocketConnector();
    private final ControlEndpoint endpoint;

    /**
     * @param sslContext key manager with the node's certificate and a trust manager that
     *     accepts only the manager's chain to the Weft CA
     */
    public ControlClient(SSLContext sslContext, ControlSettings settings, ControlListener listener) {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(settings, "settings");
        this.endpoint = new ControlEndpoint("client", Sender.NODE, settings, listener);
        connector.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getSessionConfig().setKeepAlive(true);
        endpoint.configure(connector, ControlTls.clientFilter(sslContext), settings);
    }

    /**
     * Connects to the manager. The manager's certificate must match the host name or IP
     * address in {@code manager} as given, without reverse DNS lookup.
     *
     * @return a future completed with the session once its TLS handshake has completed, or
     *     exceptionally when the connection or the handshake failed
     */
    public CompletableFuture<ControlSession> connect(InetSocketAddress manager) {
        Objects.requireNonNull(manager, "manager");
        CompletableFuture<ControlSession> secured = new CompletableFuture<>();
        ConnectFuture connecting = connector.connect(manager, (session, future) -> {
            session.setAttribute(ControlSslFilter.PEER_HOST, manager.getHostString());
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

    /** Closes every session and stops all threads of this client. */
    @Override
    public synchronized void close() {
        if (!connector.isDisposed()) {
            endpoint.close(connector);
        }
    }
}
