package io.weft.node.mesh.internal.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One non-blocking TCP connection of a {@link TcpReactor}, with half-close and backpressure.
 * Its methods may be called from any thread. {@link #write} sends on the calling thread when
 * nothing is queued, and everything else takes effect on the reactor thread. The connection
 * closes itself once the peer has ended its direction and this side has shut down its output
 * with all queued bytes sent.
 */
public final class TcpConnection {

    /**
     * Events of one connection, called one at a time on the reactor thread, except
     * {@link #written}, which also runs on the thread that called {@link #write}.
     */
    public interface Handler {

        /** Reports that a connection opened with {@link TcpReactor#connect} is established. */
        default void connected(TcpConnection connection) {
        }

        /** Receives bytes from the peer; {@code data} is valid only during the call. */
        void received(TcpConnection connection, ByteBuffer data);

        /**
         * Returns how many bytes the next read may take at most, at least 1. By default a whole
         * read buffer.
         */
        default int readLimit(TcpConnection connection) {
            return Integer.MAX_VALUE;
        }

        /** Reports that the peer ended its direction (FIN). */
        void inputEnded(TcpConnection connection);

        /** Reports that {@code bytes} queued by {@link #write} were handed to the operating system. */
        void written(TcpConnection connection, int bytes);

        /**
         * Reports the end of the connection, once: {@code failure} is null after a normal close
         * or {@link #abort()}, else the error, such as a refused connect or a reset by the peer.
         */
        void closed(TcpConnection connection, IOException failure);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

    private final TcpReactor reactor;
    private final Handler handler;

    /**
     * Guards the output side: the queue, the shutdown flags and every write to the channel,
     * so a write on a caller's thread and a flush on the reactor thread never interleave.
     */
    private final Object outputLock = new Object();
    private final Deque<ByteBuffer> output = new ArrayDeque<>();
    private volatile SocketChannel channel;
    private SelectionKey key;
    private volatile SocketAddress remote;
    private volatile boolean connected;
    private boolean readPaused;
    private boolean inputEnded;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private volatile boolean closed;

    TcpConnection(TcpReactor reactor, Handler handler) {
        this.reactor = reactor;
        this.handler = handler;
    }

    /**
     * Sends the remaining bytes of {@code data} to the peer. When nothing is queued, the bytes
     * go to the socket on the calling thread, which saves waking the reactor thread for each
     * buffer. What the socket does not take is copied and queued for the reactor thread.
     */
    public void write(ByteBuffer data) {
        int sent = 0;
        boolean queued = false;
        IOException failure = null;
        synchronized (outputLock) {
            if (closed || outputShutdownRequested) {
                return;
            }
            if (connected && output.isEmpty()) {
                try {
                    sent = channel.write(data);
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure == null && data.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                output.add(copy);
                queued = true;
            }
        }

        if (sent > 0) {
            handler.written(this, sent);
        }
        if (failure != null) {
            IOException cause = failure;
            reactor.execute(() -> fail(cause));
        } else if (queued) {
            reactor.execute(() -> {
                if (connected) {
                    flush();
                }
            });
        }
    }

    /**
     * Stops reading from the socket until {@link #resumeReading()}, so the peer's sends back up.
     * Called from {@link Handler#received} on the reactor thread, it takes effect before the
     * next read, so the read loop stops after the current buffer.
     */
    public void pauseReading() {
        if (reactor.inReactorThread()) {
            pauseNow();
        } else {
            reactor.execute(this::pauseNow);
        }
    }

    private void pauseNow() {
        readPaused = true;
        updateInterest();
    }

    public void resumeReading() {
        reactor.execute(() -> {
            readPaused = false;
            updateInterest();
        });
    }

    /** Sends FIN once the queued bytes are sent; the peer may go on sending. */
    public void shutdownOutput() {
        reactor.execute(() -> {
            synchronized (outputLock) {
                outputShutdownRequested = true;
            }
            if (connected) {
                flush();
            }
        });
    }

    /** Closes the connection now with a TCP reset (SO_LINGER 0), discarding queued bytes. */
    public void abort() {
        if (reactor.inReactorThread()) {
            abortNow();
        } else {
            reactor.execute(this::abortNow);
        }
    }

    /** Returns the peer's address: the address being dialled until a connection is established. */
    public SocketAddress remoteAddress() {
        return remote;
    }

    void connect(Selector selector, InetSocketAddress address) {
        remote = address;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, 0, this);
            if (channel.connect(address)) {
                established();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    void adopt(Selector selector, SocketChannel accepted) {
        channel = accepted;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, 0, this);
            remote = channel.getRemoteAddress();
            connected = true;
            updateInterest();
        } catch (IOException e) {
            fail(e);
        }
    }

    void ready(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                channel.finishConnect();
                established();
            }
            if (!closed && (readyOps & SelectionKey.OP_READ) != 0) {
                read();
            }
            if (!closed && (readyOps & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Fails a connect that is still pending, from the reactor thread once its deadline passed. */
    void connectTimedOut(long timeoutMillis) {
        if (!connected && !closed) {
            fail(new ConnectException("Connecting to " + remote + " timed out after " + timeoutMillis + " ms"));
        }
    }

    boolean isConnected() {
        return connected;
    }

    boolean isClosed() {
        return closed;
    }

    private void established() throws IOException {
        connected = true;
        remote = channel.getRemoteAddress();
        handler.connected(this);
        flush();
    }

    private void read() throws IOException {
        ByteBuffer buffer = reactor.readBuffer;
        while (!readPaused && !inputEnded && !closed) {
            buffer.clear();
            buffer.limit(Math.max(1, Math.min(buffer.capacity(), handler.readLimit(this))));
            int count = channel.read(buffer);
            if (count < 0) {
                inputEnded = true;
                handler.inputEnded(this);
                closeWhenDone();
            } else if (count == 0) {
                break;
            } else {
                buffer.flip();
                handler.received(this, buffer);
            }
        }
        updateInterest();
    }

    private void flush() {
        if (closed) {
            return;
        }
        int sent = 0;
        IOException failure = null;
        synchronized (outputLock) {
            try {
                while (!output.isEmpty()) {
                    ByteBuffer head = output.peek();
                    sent += channel.write(head);
                    if (head.hasRemaining()) {
                        break;
                    }
                    output.poll();
                }
                if (output.isEmpty() && outputShutdownRequested && !outputShutdown && !closed) {
                    outputShutdown = true;
                    channel.shutdownOutput();
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        if (sent > 0) {
            handler.written(this, sent);
        }
        if (failure != null) {
            fail(failure);
            return;
        }
        updateInterest();
        closeWhenDone();
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid() || !connected) {
            return;
        }
        int ops = 0;
        if (!readPaused && !inputEnded) {
            ops |= SelectionKey.OP_READ;
        }
        synchronized (outputLock) {
            if (!output.isEmpty()) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        key.interestOps(ops);
    }

    private void closeWhenDone() {
        boolean outputDone;
        synchronized (outputLock) {
            outputDone = outputShutdown;
        }
        if (inputEnded && outputDone && !closed) {
            finish(null, false);
        }
    }

    private void abortNow() {
        if (closed) {
            return;
        }
        try {
            if (channel != null && channel.isOpen() && connected) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            LOG.debug("TCP connection {}: setting SO_LINGER failed: {}", remote, e.toString());
        }
        finish(null, true);
    }

    private void fail(IOException failure) {
        finish(failure, true);
    }

    private void finish(IOException failure, boolean discardOutput) {
        if (closed) {
            return;
        }
        synchronized (outputLock) {
            closed = true;
            if (discardOutput) {
                output.clear();
            }
        }
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("TCP connection {}: closing failed: {}", remote, e.toString());
        }
        handler.closed(this, failure);
    }

    @Override
    public String toString() {
        return "TCP connection " + remote;
    }
}
