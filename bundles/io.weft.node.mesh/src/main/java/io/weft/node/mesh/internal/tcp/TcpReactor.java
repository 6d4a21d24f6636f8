package io.weft.node.mesh.internal.tcp;

import io.weft.mesh.IoLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread that serves the TCP listeners of the node's mesh side, and the
 * connections that no tunnel's I/O thread serves, without a thread per connection. A
 * connection bridged to a stream runs on the I/O thread of the stream's tunnel instead, see
 * {@link TcpConnection#serveOn}. Work from other threads reaches a connection's loop through
 * {@link #execute}, so each connection's state is touched only on its loop's thread. The
 * reactor also times out the connects of every loop.
 */
public final class TcpReactor implements Loop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpReactor.class);
    /**
     * Largest read, sized so that each read travels as one TCP segment of 64 KiB: 65,483 bytes
     * on loopback, and the largest offload segment on other links. A relayed read becomes a
     * mesh frame (9 bytes of header) in four TLS 1.3 records of the end-to-end session, then
     * one outer frame in four more records: 65,289 + 2 × (9 + 4 × 22) = 65,483. Reads of a full
     * 64 KiB needed a fifth record at each level and a second, nearly empty segment.
     */
    static final int READ_BUFFER_BYTES = 65_289;
    /**
     * Connections that the kernel queues for a listener before it accepts them; the JDK's default
     * is 50. A burst of clients while a connector's end-to-end session opens needs more, and the
     * kernel caps the value at net.core.somaxconn.
     */
    private static final int LISTEN_BACKLOG = 1024;
    /** Time a connect to a service's target may take, as long as a tunnel's connect timeout. */
    static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    /** How often the reactor checks the connects in progress, at the latest. */
    private static final long SELECT_MILLIS = 1_000;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Connects in progress, on any loop, with their deadlines in System.nanoTime. */
    private final Map<TcpConnection, Deadline> connecting = new ConcurrentHashMap<>();
    /** Buffer of every read, because a handler copies what it keeps before its call returns. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private volatile boolean closed;

    public TcpReactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Opening a selector for the TCP reactor '" + name + "' failed", e);
        }
        thread = new Thread(this::run, "weft-tcp-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the reactor thread; dropped after {@link #close()}. */
    @Override
    public boolean execute(Runnable task) {
        if (closed) {
            return false;
        }
        tasks.add(task);
        selector.wakeup();
        return true;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, TcpConnection connection) throws IOException {
        return channel.register(selector, ops, connection);
    }

    @Override
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    /**
     * Listens on {@code address} and hands each accepted connection to {@code accepted} on the
     * reactor thread. Port 0 takes a free port.
     *
     * @return the listener, whose {@link TcpListener#address()} is the bound address
     */
    public TcpListener listen(InetSocketAddress address, Consumer<SocketChannel> accepted) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, LISTEN_BACKLOG);
            server.configureBlocking(false);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        TcpListener listener = new TcpListener(this, server, accepted);
        execute(() -> listener.register(selector));
        return listener;
    }

    /**
     * Opens a connection to {@code address}; {@code connection}'s handler learns the outcome. A
     * connect that has not completed after {@link #CONNECT_TIMEOUT_MILLIS} fails with a
     * {@link java.net.ConnectException}, as for a target whose listen queue is full.
     */
    public TcpConnection connect(InetSocketAddress address, TcpConnection.Handler handler) {
        return connect(Optional.empty(), address, handler);
    }

    /**
     * Opens a connection like {@link #connect(InetSocketAddress, TcpConnection.Handler)}, served
     * by {@code ioLoop}, the I/O thread of the tunnel that carries its stream, when present.
     */
    public TcpConnection connect(Optional<IoLoop> ioLoop, InetSocketAddress address, TcpConnection.Handler handler) {
        return connect(ioLoop.<Loop>map(MeshLoop::new).orElse(this), address, handler, CONNECT_TIMEOUT_MILLIS);
    }

    TcpConnection connect(InetSocketAddress address, TcpConnection.Handler handler, long timeoutMillis) {
        return connect(this, address, handler, timeoutMillis);
    }

    private TcpConnection connect(Loop loop, InetSocketAddress address, TcpConnection.Handler handler,
            long timeoutMillis) {
        TcpConnection connection = new TcpConnection(this, loop, handler);
        connecting.put(connection, new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
                timeoutMillis));
        if (!loop.execute(() -> connection.connect(address)) && loop != this) {
            connecting.remove(connection);
            return connect(this, address, handler, timeoutMillis);
        }
        return connection;
    }

    private record Deadline(long nanos, long timeoutMillis) {
    }

    /** Wraps an accepted channel and serves it on the reactor; call on the reactor thread, as the accept callback runs. */
    public TcpConnection adopt(SocketChannel channel, TcpConnection.Handler handler) {
        TcpConnection connection = accept(channel, handler);
        connection.serveOn(Optional.empty());
        return connection;
    }

    /**
     * Wraps an accepted channel that gets its loop later, with {@link TcpConnection#serveOn},
     * once the stream that it is bridged to is open. Until then, writes go to the socket and
     * the rest waits. An accepted channel that fails here is closed, and so is the connection.
     */
    public TcpConnection accept(SocketChannel channel, TcpConnection.Handler handler) {
        TcpConnection connection = new TcpConnection(this, null, handler);
        try {
            connection.accepted(channel);
        } catch (IOException e) {
            // A closed channel fails its registration with the loop, which then reports the connection closed.
            LOG.debug("TCP reactor {}: setting up an accepted connection failed: {}", thread.getName(), e.toString());
            try {
                channel.close();
            } catch (IOException closing) {
                LOG.debug("TCP reactor {}: closing that connection failed: {}", thread.getName(), closing.toString());
            }
        }
        return connection;
    }

    /** Stops the thread and closes every channel that is still registered. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closed) {
                runTasks();
                selector.select(SELECT_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    dispatch(key);
                }
                selector.selectedKeys().clear();
                expireConnects();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.error("TCP reactor {}: the selector failed, so all its connections close", thread.getName(), e);
        } finally {
            closeAll();
        }
    }

    /** Fails the connects past their deadline, on their loops, and removes those that completed or closed. */
    private void expireConnects() {
        if (connecting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Iterator<Map.Entry<TcpConnection, Deadline>> pending = connecting.entrySet().iterator();
        while (pending.hasNext()) {
            Map.Entry<TcpConnection, Deadline> entry = pending.next();
            TcpConnection connection = entry.getKey();
            if (connection.isConnected() || connection.isClosed()) {
                pending.remove();
            } else if (now - entry.getValue().nanos() >= 0) {
                pending.remove();
                connection.timeOutConnect(entry.getValue().timeoutMillis());
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("TCP reactor {}: a task failed", thread.getName(), e);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.attachment() instanceof TcpListener listener) {
                listener.acceptReady();
            } else if (key.attachment() instanceof TcpConnection connection) {
                connection.ready(key.readyOps());
            }
        } catch (RuntimeException e) {
            LOG.error("TCP reactor {}: handling {} failed", thread.getName(), key.attachment(), e);
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof TcpConnection connection) {
                connection.abort();
            } else if (key.attachment() instanceof TcpListener listener) {
                listener.closeNow();
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("TCP reactor {}: closing the selector failed: {}", thread.getName(), e.toString());
        }
    }
}
