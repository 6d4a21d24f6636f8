package io.weft.node.mesh.internal;

import io.weft.mesh.MeshStream;
import io.weft.node.mesh.internal.tcp.TcpConnection;
import io.weft.node.mesh.internal.tcp.TcpListener;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local TCP listener that forwards each accepted connection as a stream to a service on
 * another node. A connection that policy denies, or that no tunnel can carry, is reset at once.
 */
final class Connector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    /**
     * A connector's configuration, from factory PID {@code io.weft.mesh.connector}.
     *
     * @param name          the connector's name, for logs and {@code weft:connectors}
     * @param listenAddress the local address that accepts connections
     * @param service       the service name on the destination node
     * @param node          the full name of the node that exposes the service
     * @param servicePort   the service's port, which the source's policy check reads
     */
    record Spec(String name, InetSocketAddress listenAddress, String service, String node, int servicePort) {
        Spec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(listenAddress, "listenAddress");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(node, "node");
        }
    }

    private final Spec spec;
    private final TcpReactor reactor;
    private final Supplier<Optional<MeshNode>> node;
    private TcpListener listener;

    Connector(Spec spec, TcpReactor reactor, Supplier<Optional<MeshNode>> node) {
        this.spec = spec;
        this.reactor = reactor;
        this.node = node;
    }

    Spec spec() {
        return spec;
    }

    /** Returns the bound address, which differs from the configured one when its port is 0. */
    InetSocketAddress start() throws IOException {
        listener = reactor.listen(spec.listenAddress(), this::accepted);
        LOG.info("Mesh connector '{}': listening on {} for service '{}' on node '{}'", spec.name(),
                listener.address(), spec.service(), spec.node());
        return listener.address();
    }

    InetSocketAddress address() {
        return listener == null ? spec.listenAddress() : listener.address();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
            LOG.info("Mesh connector '{}': stopped listening on {}", spec.name(), listener.address());
        }
    }

    /**
     * Opens the stream for an accepted connection, then serves the connection on the I/O thread
     * of the stream's tunnel, so that both directions of the flow run on one thread.
     */
    private void accepted(SocketChannel channel) {
        Optional<MeshNode> current = node.get();
        String description = "connector '" + spec.name() + "' to service:" + spec.service() + " on '" + spec.node()
                + "'";
        StreamBridge bridge = current.map(mesh -> mesh.bridge(description))
                .orElseGet(() -> new StreamBridge(description, ended -> { }));
        TcpConnection connection = reactor.accept(channel, bridge);
        bridge.attach(connection);
        if (current.isEmpty()) {
            LOG.warn("Mesh connector '{}': reset a connection from {} because the node has no identity yet",
                    spec.name(), connection.remoteAddress());
            connection.serveOn(Optional.empty());
            connection.abort();
            return;
        }
        MeshStream stream;
        try {
            stream = current.get().openServiceStream(spec.service(), spec.node(), spec.servicePort(), bridge);
        } catch (StreamRejectedException e) {
            LOG.info("Mesh connector '{}': reset a connection from {} ({}): {}", spec.name(),
                    connection.remoteAddress(), e.code(), e.getMessage());
            connection.serveOn(Optional.empty());
            connection.abort();
            return;
        }
        connection.serveOn(stream.tunnel().ioLoop());
    }
}
