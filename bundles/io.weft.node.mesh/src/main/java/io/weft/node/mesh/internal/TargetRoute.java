package io.weft.node.mesh.internal;

import io.weft.node.mesh.internal.tcp.TcpConnection;
import io.weft.node.mesh.internal.tcp.TcpListener;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback listener on an ephemeral port that carries each accepted connection as a stream
 * to a built-in target of another node. A connection that no tunnel can carry is reset at once.
 */
final class TargetRoute implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetRoute.class);

    private final String node;
    private final String target;
    private final TcpReactor reactor;
    private final Supplier<Optional<MeshNode>> mesh;
    private TcpListener listener;

    TargetRoute(String node, String target, TcpReactor reactor, Supplier<Optional<MeshNode>> mesh) {
        this.node = node;
        this.target = target;
        this.reactor = reactor;
        this.mesh = mesh;
    }

    /** Binds an ephemeral port on 127.0.0.1 and returns its address. */
    InetSocketAddress start() throws IOException {
        listener = reactor.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), this::accepted);
        LOG.info("Mesh route: {} carries connections to built-in target '{}' on node '{}'", listener.address(),
                target, node);
        return listener.address();
    }

    InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }

    private void accepted(SocketChannel channel) {
        Optional<MeshNode> current = mesh.get();
        StreamBridge bridge = new StreamBridge("route to builtin:" + target + " on '" + node + "'", ended -> { });
        TcpConnection connection = reactor.adopt(channel, bridge);
        bridge.attach(connection);
        if (current.isEmpty()) {
            LOG.warn("Mesh route: reset a connection to '{}' because the node has no mesh yet", node);
            connection.abort();
            return;
        }
        try {
            current.get().openBuiltInStream(target, node, bridge);
        } catch (StreamRejectedException e) {
            LOG.info("Mesh route: reset a connection to builtin:{} on '{}' ({}): {}", target, node, e.code(),
                    e.getMessage());
            connection.abort();
        }
    }
}
