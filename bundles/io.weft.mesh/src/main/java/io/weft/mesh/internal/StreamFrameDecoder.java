package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Decodes mesh frames from the bytes of a stream, such as a tunnel's plaintext or that of an
 * end-to-end session, which arrive in pieces of any size. A DATA frame's payload is a view of
 * the input, or of the buffer that collected an incomplete frame, and is valid only while the
 * output handles the frame. Only an incomplete frame is copied. Frames of up to 64 KiB of
 * payload collect in buffers from a pool shared by all decoders, which go back once the output
 * has handled the frame, so an idle stream keeps no buffer. Larger frames get a buffer of their
 * size. Not thread-safe: the caller serializes every call.
 */
public final class StreamFrameDecoder {

    /** Largest payload of a frame that collects in a pooled buffer, the default largest payload. */
    private static final int POOLED_PAYLOAD_BYTES = 64 * 1024;
    /** Pooled buffers kept for reuse, enough for the I/O threads of a busy node. */
    private static final int POOLED_BUFFERS = 8;
    private static final BufferPool INCOMPLETE_FRAMES =
            new BufferPool(Frames.HEADER_BYTES + POOLED_PAYLOAD_BYTES, POOLED_BUFFERS);

    private final int maxPayloadBytes;
    /** The start of an incomplete frame, in write mode, or null. */
    private ByteBuffer incomplete;
    /** True while {@link #incomplete} came from the pool. */
    private boolean pooled;

    public StreamFrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Passes every whole frame of the bytes received so far to {@code output}, in order, and
     * keeps the start of an incomplete one for the next call. Consumes all of {@code input}.
     * A DATA frame's payload is valid only until {@code output} returns.
     *
     * @throws FrameDecodingException when the bytes are not a valid frame. The decoder is unusable afterwards.
     */
    public void decode(ByteBuffer input, Consumer<Frame> output) throws FrameDecodingException {
        if (incomplete != null) {
            if (!complete(input)) {
                return;
            }
            ByteBuffer frame = incomplete.flip();
            try {
                output.accept(Frames.decode(frame, maxPayloadBytes, false));
            } finally {
                dispose();
            }
        }
        Frame frame;
        while ((frame = Frames.decode(input, maxPayloadBytes, false)) != null) {
            output.accept(frame);
        }
        if (input.hasRemaining()) {
            incomplete = ByteBuffer.allocate(Frames.HEADER_BYTES);
            pooled = false;
            complete(input);
        }
    }

    /** Returns true while the start of an incomplete frame waits for its rest. */
    boolean hasIncompleteFrame() {
        return incomplete != null;
    }

    /** Returns the buffer of an incomplete frame to the pool, as when the stream ends. */
    void dispose() {
        if (incomplete != null && pooled) {
            INCOMPLETE_FRAMES.release(incomplete);
        }
        incomplete = null;
        pooled = false;
    }

    /**
     * Moves bytes from {@code input} into the incomplete frame, only as many as it lacks. Checks
     * the header as soon as it is whole, before waiting for a payload that would not fit.
     *
     * @return true when the frame is whole
     */
    private boolean complete(ByteBuffer input) throws FrameDecodingException {
        if (incomplete.position() < Frames.HEADER_BYTES) {
            transfer(input, incomplete, Frames.HEADER_BYTES - incomplete.position());
            if (incomplete.position() < Frames.HEADER_BYTES) {
                return false;
            }
            Frames.decode(incomplete.duplicate().flip(), maxPayloadBytes);
            growToFrame();
        }
        int frameBytes = Frames.HEADER_BYTES + Frames.payloadLength(incomplete, 0);
        transfer(input, incomplete, frameBytes - incomplete.position());
        return incomplete.position() == frameBytes;
    }

    /** Moves the whole header of the incomplete frame into a buffer with room for the whole frame. */
    private void growToFrame() {
        int payloadBytes = Frames.payloadLength(incomplete, 0);
        pooled = payloadBytes <= POOLED_PAYLOAD_BYTES;
        ByteBuffer frame = pooled ? INCOMPLETE_FRAMES.take()
                : ByteBuffer.allocate(Frames.HEADER_BYTES + payloadBytes);
        incomplete = frame.put(incomplete.flip());
    }

    private static void transfer(ByteBuffer from, ByteBuffer to, int maxBytes) {
        int count = Math.min(maxBytes, from.remaining());
        if (count <= 0) {
            return;
        }
        int limit = from.limit();
        from.limit(from.position() + count);
        to.put(from);
        from.limit(limit);
    }
}
