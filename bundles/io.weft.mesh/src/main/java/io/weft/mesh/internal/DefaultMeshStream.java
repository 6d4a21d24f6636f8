package io.weft.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.mesh.MeshTunnel;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream of a {@link Multiplexer}, with its two flow control windows. The fields are guarded
 * by the multiplexer's lock, except {@link #handler} and {@link #ended}, which events read.
 *
 * <p>An idle stream has no buffer, because the write queue exists only while bytes wait for window.
 */
final class DefaultMeshStream implements MeshStream {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultMeshStream.class);

    private final Multiplexer tunnel;
    private final int id;
    private final String target;
    private final Map<String, String> metadata;
    private final boolean local;

    /** Set before the first event of the stream runs; events are ordered after the one that sets it. */
    volatile MeshStreamHandler handler;
    /** Both directions finished or the stream was reset: no frame of this stream is sent any more. */
    private volatile boolean ended;
    /** The stream was reset: data events still queued are dropped. */
    private volatile boolean aborted;

    boolean waiting;
    long lastActivityNanos;

    private long sendWindow = MeshSettings.INITIAL_WINDOW_BYTES;
    /** Frames whose payload is a view of the buffer passed to {@link #write}, until the write returns. */
    private final List<OutboundData> borrowedFrames = new ArrayList<>(1);
    /** Bytes waited for window since the last DATA frame, which the next one reports as BLOCKED. */
    private boolean windowStalled;
    private ArrayDeque<ByteBuffer> writeQueue;
    private long queuedBytes;
    private boolean outputShutdown;
    private boolean finSent;
    private boolean writableEventDue;

    private long receiveWindow = MeshSettings.INITIAL_WINDOW_BYTES;
    /** The window that this side grants the peer: the settings' receive window, grown while the peer is held back. */
    private int windowLimit = MeshSettings.INITIAL_WINDOW_BYTES;
    /** The peer sent a BLOCKED frame while the consumer kept up, so the next update grows the window. */
    private boolean growthDue;
    private long unconsumedBytes;
    /** True once the stream left the tunnel, which then stopped counting its unread bytes. */
    private boolean unreadReleased;
    private long consumedSinceUpdate;
    private boolean finReceived;

    private long bytesSent;
    private long bytesReceived;

    DefaultMeshStream(Multiplexer tunnel, int id, String target, Map<String, String> metadata, boolean local,
            long nowNanos) {
        this.tunnel = tunnel;
        this.id = id;
        this.target = target;
        this.metadata = metadata;
        this.local = local;
        this.lastActivityNanos = nowNanos;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public MeshTunnel tunnel() {
        return tunnel;
    }

    @Override
    public boolean isLocal() {
        return local;
    }

    @Override
    public boolean write(ByteBuffer data) {
        boolean writable;
        List<OutboundData> borrowed;
        synchronized (tunnel.lock) {
            if (outputShutdown) {
                throw new IllegalStateException("Cannot write to stream " + id + " of the " + tunnel
                        + ": its output is shut down");
            }
            if (ended) {
                data.position(data.limit());
                return false;
            }
            if (data.hasRemaining()) {
                lastActivityNanos = tunnel.now();
                if (queuedBytes == 0) {
                    sendDirect(data);
                }
                if (data.hasRemaining()) {
                    enqueue(data);
                }
            }
            writable = queuedBytes < tunnel.settings.streamWriteBufferBytes();
            writableEventDue |= !writable;
            borrowed = borrowedFrames.isEmpty() ? List.of() : List.copyOf(borrowedFrames);
            borrowedFrames.clear();
        }
        tunnel.flush();
        // The caller may reuse its buffer once this returns: frames still queued get a copy.
        for (OutboundData frame : borrowed) {
            frame.detach();
        }
        return writable;
    }

    @Override
    public boolean isWritable() {
        synchronized (tunnel.lock) {
            return !ended && !outputShutdown && queuedBytes < tunnel.settings.streamWriteBufferBytes();
        }
    }

    @Override
    public int writableBytes() {
        synchronized (tunnel.lock) {
            if (ended || outputShutdown) {
                return 0;
            }
            long room = tunnel.settings.streamWriteBufferBytes() - queuedBytes;
            if (queuedBytes == 0 && tunnel.hasRoom()) {
                room += sendWindow;
            }
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, room));
        }
    }

    @Override
    public void shutdownOutput() {
        synchronized (tunnel.lock) {
            if (ended || outputShutdown) {
                return;
            }
            outputShutdown = true;
            sendQueued(Integer.MAX_VALUE);
        }
        tunnel.flush();
    }

    @Override
    public void consumed(int bytes) {
        synchronized (tunnel.lock) {
            if (bytes < 0 || bytes > unconsumedBytes) {
                throw new IllegalArgumentException("Cannot mark " + bytes + " bytes of stream " + id
                        + " consumed: " + unconsumedBytes + " delivered bytes are not yet consumed");
            }
            unconsumedBytes -= bytes;
            if (!unreadReleased) {
                tunnel.unreadChanged(-bytes);
            }
            if (ended || finReceived) {
                return;
            }
            consumedSinceUpdate += bytes;
            if (consumedSinceUpdate >= windowLimit / 2) {
                int increment = (int) consumedSinceUpdate + grownBytes();
                tunnel.send(Frames.encode(new Frame.WindowUpdate(id, increment)));
                receiveWindow += increment;
                consumedSinceUpdate = 0;
            }
        }
        tunnel.flush();
    }

    @Override
    public void reset(ErrorCode code, String reason) {
        synchronized (tunnel.lock) {
            abort(code, reason, true, false);
        }
        tunnel.flush();
    }

    @Override
    public long bytesSent() {
        synchronized (tunnel.lock) {
            return bytesSent;
        }
    }

    @Override
    public long bytesReceived() {
        synchronized (tunnel.lock) {
            return bytesReceived;
        }
    }

    // The methods below are called by the multiplexer with its lock held.

    /** Raises the peer's window from the protocol's initial window to the configured receive window. */
    void growReceiveWindow() {
        int extra = tunnel.settings.receiveWindowBytes() - MeshSettings.INITIAL_WINDOW_BYTES;
        if (extra > 0) {
            receiveWindow += extra;
            windowLimit += extra;
            tunnel.send(Frames.encode(new Frame.WindowUpdate(id, extra)));
        }
    }

    /**
     * Doubles the window when growth is due, as far as the largest window and the tunnel's
     * budget allow, and returns the bytes added.
     */
    private int grownBytes() {
        if (!growthDue) {
            return 0;
        }
        growthDue = false;
        int extra = tunnel.grantWindowGrowth(Math.min(windowLimit, tunnel.settings.maxReceiveWindowBytes() - windowLimit));
        windowLimit += extra;
        return extra;
    }

    /** Returns the window that this side grants the peer now. */
    int windowLimit() {
        synchronized (tunnel.lock) {
            return windowLimit;
        }
    }

    /** Returns the bytes delivered to the handler and not yet consumed. */
    long unreadBytes() {
        return unconsumedBytes;
    }

    /** Takes the stream's unread bytes out of the tunnel's count, once, as it leaves the tunnel; returns them. */
    long releaseUnread() {
        if (unreadReleased) {
            return 0;
        }
        unreadReleased = true;
        return unconsumedBytes;
    }

    /** Returns the bytes by which this stream's window grew beyond the settings' receive window. */
    int windowGrowth() {
        return Math.max(0, windowLimit - tunnel.settings.receiveWindowBytes());
    }

    /**
     * Handles DATA, or a FIN when {@code payload} is null. {@code blocked} is true when the
     * peer's bytes had to wait for window before this frame. Returns true when the payload
     * went to an event for the handler, whose loan the caller then ends.
     */
    boolean receiveData(InboundPayload payload, int length, boolean fin, boolean blocked) {
        if (finReceived) {
            abort(ErrorCode.PROTOCOL_ERROR, "the peer sent a frame after its FIN", true, true);
            return false;
        }
        if (length > receiveWindow) {
            abort(ErrorCode.FLOW_CONTROL_ERROR, "the peer sent " + length + " bytes with a window of "
                    + receiveWindow + " bytes", true, true);
            return false;
        }
        boolean queued = false;
        if (length > 0) {
            receiveWindow -= length;
            bytesReceived += length;
            unconsumedBytes += length;
            tunnel.unreadChanged(length);
            lastActivityNanos = tunnel.now();
            // When the consumer keeps up, the window, not the consumer, limits the peer.
            growthDue |= blocked && unconsumedBytes <= windowLimit / 4;
            tunnel.event(() -> deliver(payload));
            queued = true;
        }
        if (fin) {
            finReceived = true;
            tunnel.event(() -> notify(EventKind.FIN));
            endIfFinished();
        }
        return queued;
    }

    void receiveWindowUpdate(int increment) {
        sendWindow += increment;
        if (sendWindow > Integer.MAX_VALUE) {
            abort(ErrorCode.FLOW_CONTROL_ERROR, "the peer raised the window above " + Integer.MAX_VALUE + " bytes",
                    true, true);
            return;
        }
        sendQueued(Integer.MAX_VALUE);
    }

    /**
     * Sends up to {@code maxFrames} DATA frames from the write queue, as far as the window and
     * the tunnel's write buffer allow, then FIN when the output is shut down and nothing is left.
     */
    void sendQueued(int maxFrames) {
        int frames = 0;
        while (queuedBytes > 0 && sendWindow > 0 && tunnel.hasRoom() && frames < maxFrames) {
            ByteBuffer head = writeQueue.peek();
            int length = (int) Math.min(Math.min(head.remaining(), sendWindow), tunnel.settings.maxFramePayloadBytes());
            boolean last = outputShutdown && length == queuedBytes;
            tunnel.send(OutboundData.owned(id, head, length, last, takeStall()));
            sent(length);
            queuedBytes -= length;
            finSent |= last;
            if (!head.hasRemaining()) {
                writeQueue.poll();
            }
            frames++;
        }
        if (queuedBytes > 0 && sendWindow > 0) {
            tunnel.awaitRoom(this);
        }
        windowStalled |= queuedBytes > 0 && sendWindow == 0;
        if (queuedBytes == 0) {
            writeQueue = null;
            sendFinIfShutdown();
        }
        if (writableEventDue && queuedBytes < tunnel.settings.streamWriteBufferBytes()) {
            writableEventDue = false;
            tunnel.event(() -> notify(EventKind.WRITABLE));
        }
        endIfFinished();
    }

    /**
     * Ends the stream: drops queued bytes, sends RESET when {@code sendReset}, reports
     * {@code code} to the handler when {@code notify}, and always reports the close.
     */
    void abort(ErrorCode code, String reason, boolean sendReset, boolean notify) {
        if (ended) {
            return;
        }
        ended = true;
        aborted = true;
        writeQueue = null;
        queuedBytes = 0;
        tunnel.removed(this);
        if (sendReset && !tunnel.isClosed()) {
            tunnel.send(Frames.encode(new Frame.Reset(id, code, reason)));
        }
        if (notify) {
            tunnel.event(() -> notifyReset(code, reason));
        }
        tunnel.event(() -> notify(EventKind.CLOSED));
    }

    boolean isAborted() {
        return aborted;
    }

    private void sendDirect(ByteBuffer data) {
        while (data.hasRemaining() && sendWindow > 0 && tunnel.hasRoom()) {
            int length = (int) Math.min(Math.min(data.remaining(), sendWindow), tunnel.settings.maxFramePayloadBytes());
            OutboundData frame = OutboundData.borrowed(id, data, length, false, takeStall());
            tunnel.send(frame);
            borrowedFrames.add(frame);
            sent(length);
        }
        if (data.hasRemaining() && sendWindow > 0) {
            tunnel.awaitRoom(this);
        }
        windowStalled |= data.hasRemaining() && sendWindow == 0;
    }

    /** Returns whether the next DATA frame reports a stall on the window, and clears it. */
    private boolean takeStall() {
        boolean stalled = windowStalled;
        windowStalled = false;
        return stalled;
    }

    private void enqueue(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        if (writeQueue == null) {
            writeQueue = new ArrayDeque<>(4);
        }
        writeQueue.add(copy);
        queuedBytes += copy.remaining();
    }

    private void sent(int length) {
        sendWindow -= length;
        bytesSent += length;
    }

    private void sendFinIfShutdown() {
        if (outputShutdown && !finSent) {
            finSent = true;
            tunnel.send(Frames.encode(new Frame.Fin(id)));
        }
    }

    private void endIfFinished() {
        if (finSent && finReceived && !ended) {
            ended = true;
            tunnel.removed(this);
            tunnel.event(() -> notify(EventKind.CLOSED));
        }
    }

    // The methods below run as events, without the lock.

    private enum EventKind {
        WRITABLE, FIN, CLOSED
    }

    private void deliver(InboundPayload payload) {
        MeshStreamHandler current = handler;
        if (aborted || current == null) {
            return;
        }
        ByteBuffer data = payload.take();
        try {
            current.onData(this, data);
        } catch (RuntimeException e) {
            failed("onData", e);
        } finally {
            payload.release();
        }
    }

    private void notify(EventKind kind) {
        MeshStreamHandler current = handler;
        if (current == null) {
            return;
        }
        try {
            switch (kind) {
                case WRITABLE -> current.onWritable(this);
                case FIN -> current.onFin(this);
                case CLOSED -> current.onClosed(this);
            }
        } catch (RuntimeException e) {
            failed(kind.name(), e);
        }
    }

    private void notifyReset(ErrorCode code, String reason) {
        MeshStreamHandler current = handler;
        if (current == null) {
            return;
        }
        try {
            current.onReset(this, code, reason);
        } catch (RuntimeException e) {
            failed("onReset", e);
        }
    }

    /**
     * Resets the stream after its handler threw, and reports the reset to the handler too, so that
     * it can release what it holds for the stream, such as a TCP connection.
     */
    private void failed(String event, RuntimeException e) {
        LOG.error("Mesh stream {} to '{}' of the {}: the handler failed in {}; resetting the stream", id, target,
                tunnel, event, e);
        synchronized (tunnel.lock) {
            abort(ErrorCode.INTERNAL_ERROR, "the stream's handler failed", true, true);
        }
        tunnel.flush();
    }

    @Override
    public String toString() {
        return "mesh stream " + id + " to '" + target + "'";
    }
}
