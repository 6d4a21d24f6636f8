package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * A DATA frame on its way to the transport, as a header and a payload that the TLS layer
 * encrypts from where they are, without first copying them into one frame buffer.
 *
 * <p>The payload of a frame made by {@link #borrowed} is a view of the caller's buffer, which
 * is valid only until {@link io.weft.mesh.MeshStream#write} returns. The writer and the
 * consumer of the frame therefore {@link #take} it: the consumer to encrypt it, the writer,
 * when the frame is still queued as its write returns, to copy the payload. Whoever loses
 * waits in {@link #awaitReleased()} until the winner {@link #release()}s it, which takes as
 * long as one encryption or one copy.
 */
final class OutboundData {

    private static final int PENDING = 0;
    private static final int TAKEN = 1;
    private static final int RELEASED = 2;

    private final ByteBuffer header;
    private final int size;
    private final AtomicInteger state;
    private volatile ByteBuffer payload;

    private OutboundData(ByteBuffer header, ByteBuffer payload, int state) {
        this.header = header;
        this.payload = payload;
        this.size = header.remaining() + payload.remaining();
        this.state = new AtomicInteger(state);
    }

    /** Returns a frame with the next {@code length} bytes of {@code source} as a view, advancing it. */
    static OutboundData borrowed(int streamId, ByteBuffer source, int length, boolean fin, boolean blocked) {
        return new OutboundData(header(streamId, length, fin, blocked), view(source, length), PENDING);
    }

    /** Returns a frame with the next {@code length} bytes of {@code source}, which nobody writes to again. */
    static OutboundData owned(int streamId, ByteBuffer source, int length, boolean fin, boolean blocked) {
        return new OutboundData(header(streamId, length, fin, blocked), view(source, length), RELEASED);
    }

    /** Returns the bytes of the whole frame, header included, as counted in the tunnel's write buffer. */
    int size() {
        return size;
    }

    /** Returns the header and the payload, positioned at what is still to be sent. */
    ByteBuffer[] buffers() {
        return new ByteBuffer[] {header, payload};
    }

    /** Returns true when the caller may use the borrowed payload until it calls {@link #release()}. */
    boolean take() {
        return state.compareAndSet(PENDING, TAKEN);
    }

    /** Ends a {@link #take}: the frame no longer needs the borrowed buffer. */
    void release() {
        state.set(RELEASED);
    }

    /** Waits until the thread that took the frame released it. */
    void awaitReleased() {
        int spins = 0;
        while (state.get() != RELEASED) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Called by the writer when its write returns: copies the payload unless the frame was
     * already sent, and waits while another thread encrypts it.
     */
    void detach() {
        if (take()) {
            copyRemaining();
            release();
        } else {
            awaitReleased();
        }
    }

    /** Replaces the unsent rest of the payload with a copy of its own; call while holding the frame. */
    void copyRemaining() {
        ByteBuffer current = payload;
        payload = ByteBuffer.allocate(current.remaining()).put(current).flip();
    }

    /** Returns the unsent rest of the frame as one new buffer. */
    IoBuffer toIoBuffer() {
        IoBuffer frame = IoBuffer.allocate(header.remaining() + payload.remaining(), false);
        frame.put(header.duplicate()).put(payload.duplicate());
        return frame.flip();
    }

    private static ByteBuffer header(int streamId, int length, boolean fin, boolean blocked) {
        int flags = (fin ? Frames.FLAG_FIN : 0) | (blocked ? Frames.FLAG_BLOCKED : 0);
        ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
        header.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        header.put((byte) FrameType.DATA.code()).put((byte) flags).putInt(streamId);
        return header.flip();
    }

    private static ByteBuffer view(ByteBuffer source, int length) {
        ByteBuffer view = source.slice(source.position(), length);
        source.position(source.position() + length);
        return view;
    }
}
