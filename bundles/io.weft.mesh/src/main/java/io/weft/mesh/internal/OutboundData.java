package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * A DATA frame on its way to the transport, as a header and a payload that the TLS layer
 * encrypts from where they are, without first copying them into one frame buffer.
 *
 * <p>The payload of a frame made by {@link #borrowed} is a view of the caller's buffer, which
 * is valid only until {@link io.weft.mesh.MeshStream#write} returns. The thread that sends the
 * frame {@link #take}s it, and the writer calls {@link #detach()} as its write returns, which
 * copies the payload of a frame still queued (see {@link HandOver}).
 */
public final class OutboundData {

    private final ByteBuffer header;
    private final int size;
    private final HandOver handOver;
    private volatile ByteBuffer payload;

    private OutboundData(ByteBuffer header, ByteBuffer payload, HandOver handOver) {
        this.header = header;
        this.payload = payload;
        this.size = header.remaining() + payload.remaining();
        this.handOver = handOver;
    }

    /** Returns a frame with the next {@code length} bytes of {@code source} as a view, advancing it. */
    static OutboundData borrowed(int streamId, ByteBuffer source, int length, boolean fin, boolean blocked) {
        return new OutboundData(header(streamId, length, fin, blocked), view(source, length), HandOver.lent());
    }

    /** Returns a frame with the next {@code length} bytes of {@code source}, which no thread writes to again. */
    static OutboundData owned(int streamId, ByteBuffer source, int length, boolean fin, boolean blocked) {
        return new OutboundData(header(streamId, length, fin, blocked), view(source, length), HandOver.owned());
    }

    /** Returns the bytes of the whole frame, header included, as counted in the tunnel's write buffer. */
    public int size() {
        return size;
    }

    /** Returns the header and the payload, positioned at what is still to be sent. */
    public ByteBuffer[] buffers() {
        return new ByteBuffer[] {header, payload};
    }

    /** Returns true when the caller may use the borrowed payload until it calls {@link #release()}. */
    boolean take() {
        return handOver.take();
    }

    /** Ends a {@link #take}: the frame no longer needs the borrowed buffer. */
    void release() {
        handOver.release();
    }

    /** Waits until the thread that took the frame released it. */
    void awaitReleased() {
        handOver.awaitReleased();
    }

    /**
     * Ends the writer's loan as its write returns: copies the payload unless the frame was
     * already sent, and waits while another thread encrypts it.
     */
    void detach() {
        handOver.endLoan(this::copyRemaining);
    }

    /** Replaces the unsent rest of the payload with a copy of its own; call while holding the frame. */
    void copyRemaining() {
        ByteBuffer current = payload;
        payload = ByteBuffer.allocate(current.remaining()).put(current).flip();
    }

    /** Returns the unsent rest of the frame as one new buffer. */
    public IoBuffer toIoBuffer() {
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
