package io.weft.mesh.internal;

import java.nio.ByteBuffer;

/**
 * The payload of a received DATA frame on its way to the stream's handler. The decoder lends
 * it as a view of the bytes it decoded from, which stay valid only until the tunnel's
 * {@link Multiplexer#receive} returns. The tunnel usually runs the handler's event before that,
 * on the same thread. When another thread runs the tunnel's events and has not reached this
 * one, {@link #endLoan()} gives the event a copy instead.
 */
final class InboundPayload {

    private final HandOver handOver;
    /** The view, or its copy once the loan ended first. The hand-over's state publishes the copy. */
    private ByteBuffer bytes;

    private InboundPayload(ByteBuffer bytes, HandOver handOver) {
        this.bytes = bytes;
        this.handOver = handOver;
    }

    /** Returns the payload of a frame whose bytes the caller reuses once the tunnel's receive returns. */
    static InboundPayload lent(ByteBuffer view) {
        return new InboundPayload(view, HandOver.lent());
    }

    /** Returns the bytes for the handler, which calls {@link #release()} once it returns. */
    ByteBuffer take() {
        if (!handOver.take()) {
            handOver.awaitReleased();
        }
        return bytes;
    }

    /** Ends a {@link #take()}. */
    void release() {
        handOver.release();
    }

    /** Ends the loan, for the tunnel: copies the bytes when the handler has not taken them yet. */
    void endLoan() {
        handOver.endLoan(() -> bytes = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip());
    }
}
