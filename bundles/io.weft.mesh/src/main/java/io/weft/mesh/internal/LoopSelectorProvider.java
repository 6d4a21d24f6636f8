package io.weft.mesh.internal;

import io.weft.mesh.IoLoop;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JDK's selector provider, except that each selector it opens is a {@link LoopSelector}.
 * MINA opens one per I/O processor, so the loop of a tunnel is the selector that its channel is
 * registered with.
 */
public final class LoopSelectorProvider extends SelectorProvider {

    private final SelectorProvider jdk = SelectorProvider.provider();
    private final List<LoopSelector> selectors = new CopyOnWriteArrayList<>();

    @Override
    public AbstractSelector openSelector() throws IOException {
        LoopSelector selector = new LoopSelector(this, jdk.openSelector());
        selectors.add(selector);
        return selector;
    }

    /** Returns the loop that serves {@code channel}, while the channel is registered with one of this provider's selectors. */
    public Optional<IoLoop> loopOf(SelectableChannel channel) {
        for (LoopSelector selector : selectors) {
            if (selector.isOpen() && channel.keyFor(selector) != null) {
                return Optional.of(selector);
            }
        }
        return Optional.empty();
    }

    /** Lets the processors' threads end; call before disposing MINA's processors. */
    public void stop() {
        for (LoopSelector selector : selectors) {
            selector.stop();
        }
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return jdk.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return jdk.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return jdk.openPipe();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return jdk.openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return jdk.openSocketChannel();
    }
}
