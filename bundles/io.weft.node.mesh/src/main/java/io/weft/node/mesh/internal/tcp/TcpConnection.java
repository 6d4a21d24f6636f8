package io.weft.node.mesh.internal.tcp;

import io.weft.mesh.IoLoop;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One non-blocking TCP connection, with half-close and backpressure, served by a loop: the
 * {@link TcpReactor}'s thread, or the I/O thread of the mesh tunnel that carries its stream.
 * Its methods may be called from any thread. {@link #write} sends on the calling thread when
 * nothing is queued, and everything else takes effect on the loop's thread. The connection
 * closes itself once the peer has ended its direction and this side has shut down its output
 * with all queued bytes sent.
 *
 * <p>An accepted connection may wait for its loop: until {@link #serveOn} it only writes on the
 * calling thread and keeps the rest for the loop.
 */
public final class TcpConnection {

    /**
     * Events of one connection, called one at a time on the loop's thread, except
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
    /** The loop that serves the connection; null until an accepted connection gets one. Set under {@link #outputLock}. */
    private volatile Loop loop;
    /** Work for the loop that arrived before it was set, guarded by {@link #outputLock}. */
    private List<Runnable> beforeLoop = new ArrayList<>(0);

    /**
     * Guards the output side: the queue, the shutdown flags and every write to the channel,
     * so a write on a caller's thread and a flush on the loop's thread never interleave.
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

    TcpConnection(TcpReactor reactor, Loop loop, Handler handler) {
        this.reactor = reactor;
        this.loop = loop;
        this.handler = handler;
    }

    /**
     * Sends the remaining bytes of {@code data} to the peer. When nothing is queued, the bytes
     * go to the socket on the calling thread, which saves waking the loop's thread for each
     * buffer. What the socket does not take is copied and queued for the loop's thread.
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
            onLoop(() -> fail(cause));
        } else if (queued) {
            onLoop(() -> {
                if (connected && key != null) {
                    flush();
                }
            });
        }
    }

    /**
     * Serves an accepted connection on {@code ioLoop}, the I/O thread of the tunnel that carries
     * its stream, or on the reactor's thread when that is empty. Work queued before runs then.
     */
    public void serveOn(Optional<IoLoop> ioLoop) {
        Loop chosen = ioLoop.<Loop>map(MeshLoop::new).orElse(reactor);
        SocketChannel accepted = channel;
        synchronized (outputLock) {
            if (loop != null) {
                throw new IllegalStateException(this + " already has its loop");
            }
            List<Runnable> queued = beforeLoop;
            beforeLoop = null;
            Runnable start = () -> {
                adopt(accepted);
                queued.forEach(Runnable::run);
            };
            // Under the lock, so that work from other threads queues after the start.
            loop = chosen;
            if (!chosen.execute(start)) {
                // The tunnel's endpoint closed meanwhile; the reactor serves the connection until it ends.
                loop = reactor;
                reactor.execute(start);
            }
        }
    }

    /** Runs {@code task} on the connection's loop, or once it has one. */
    private void onLoop(Runnable task) {
        Loop current;
        synchronized (outputLock) {
            current = loop;
            if (current == null) {
                beforeLoop.add(task);
                return;
            }
        }
        if (!current.execute(task)) {
            LOG.debug("TCP connection {}: dropped work because its loop stopped", remote);
        }
    }

    private boolean inLoop() {
        Loop current = loop;
        return current != null && current.inLoop();
    }

    /**
     * Stops reading from the socket until {@link #resumeReading()}, so the peer's sends back up.
     * Called from {@link Handler#received} on the loop's thread, it takes effect before the
     * next read, so the read loop stops after the current buffer.
     */
    public void pauseReading() {
        if (inLoop()) {
            pauseNow();
        } else {
            onLoop(this::pauseNow);
        }
    }

    private void pauseNow() {
        readPaused = true;
        updateInterest();
    }

    public void resumeReading() {
        onLoop(() -> {
            readPaused = false;
            updateInterest();
        });
    }

    /** Sends FIN once the queued bytes are sent; the peer may go on sending. */
    public void shutdownOutput() {
        onLoop(() -> {
            synchronized (outputLock) {
                outputShutdownRequested = true;
            }
            if (connected && key != null) {
                flush();
            }
        });
    }

    /** Closes the connection now with a TCP reset (SO_LINGER 0), discarding queued bytes. */
    public void abort() {
        if (inLoop()) {
            abortNow();
        } else {
            onLoop(this::abortNow);
        }
    }

    /** Returns the peer's address: the address being dialled until a connection is established. */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** Runs on the loop's thread. */
    void connect(InetSocketAddress address) {
        remote = address;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = loop.register(channel, 0, this);
            if (channel.connect(address)) {
                established();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Takes an accepted channel, which may be written to at once. {@link #adopt} registers it with a loop later. */
    void accepted(SocketChannel accepted) throws IOException {
        // Set first, so that after a failure below the loop still has a channel to close.
        channel = accepted;
        accepted.configureBlocking(false);
        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
        remote = accepted.getRemoteAddress();
        connected = true;
    }

    /** Registers an accepted channel with the loop; runs on the loop's thread. */
    void adopt(SocketChannel accepted) {
        if (closed) {
            return;
        }
        try {
            key = loop.register(accepted, 0, this);
            updateInterest();
            flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Closes the connection because its loop stopped with the mesh endpoint; runs on the stopping thread. */
    void loopClosed() {
        abortNow();
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

    /** Fails a connect whose deadline passed, on the loop's thread, unless it completed meanwhile. */
    void timeOutConnect(long timeoutMillis) {
        onLoop(() -> connectTimedOut(timeoutMillis));
    }

    private void connectTimedOut(long timeoutMillis) {
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
        ByteBuffer buffer = loop.readBuffer();
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
