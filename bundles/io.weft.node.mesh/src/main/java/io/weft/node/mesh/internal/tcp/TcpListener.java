package io.weft.node.mesh.internal.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listening TCP socket of a {@link TcpReactor}. */
public final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final TcpReactor reactor;
    private final ServerSocketChannel server;
    private final Consumer<SocketChannel> accepted;
    private final InetSocketAddress address;

    TcpListener(TcpReactor reactor, ServerSocketChannel server, Consumer<SocketChannel> accepted) throws IOException {
        this.reactor = reactor;
        this.server = server;
        this.accepted = accepted;
        this.address = (InetSocketAddress) server.getLocalAddress();
    }

    public InetSocketAddress address() {
        return address;
    }

    void register(Selector selector) {
        try {
            server.register(selector, SelectionKey.OP_ACCEPT, this);
        } catch (ClosedChannelException e) {
            LOG.debug("TCP listener {}: closed before it was registered", address);
        }
    }

    void acceptReady() {
        SocketChannel channel;
        try {
            while ((channel = server.accept()) != null) {
                accepted.accept(channel);
            }
        } catch (IOException e) {
            LOG.warn("TCP listener {}: accepting a connection failed: {}", address, e.toString());
        }
    }

    /** Stops accepting. Connections accepted before stay open. */
    @Override
    public void close() {
        reactor.execute(this::closeNow);
    }

    void closeNow() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("TCP listener {}: closing failed: {}", address, e.toString());
        }
    }

    @Override
    public String toString() {
        return "TCP listener " + address;
    }
}
