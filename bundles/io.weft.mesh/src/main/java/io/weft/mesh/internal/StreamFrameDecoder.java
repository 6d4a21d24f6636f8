package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Decodes mesh frames from the bytes of a stream, such as the plaintext of an end-to-end
 * session, which arrive in pieces of any size. Only an incomplete frame is copied, into a
 * buffer of its size that is dropped once the frame is whole, so an idle stream keeps no
 * buffer. Not thread-safe: the caller serializes every call.
 */
public final class StreamFrameDecoder {

    private final int maxPayloadBytes;
    /** The start of an incomplete frame, in write mode, or null. */
    private ByteBuffer incomplete;

    public StreamFrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Passes every whole frame of the bytes received so far to {@code output}, in order, and
     * keeps the start of an incomplete one for the next call. Consumes all of {@code input}.
     *
     * @throws FrameDecodingException when the bytes are not a valid frame. The decoder is unusable afterwards.
     */
    public void decode(ByteBuffer input, Consumer<Frame> output) throws FrameDecodingException {
        if (incomplete != null) {
            if (!complete(input)) {
                return;
            }
            ByteBuffer frame = incomplete.flip();
            incomplete = null;
            // The buffer was made for this frame alone, so its payload needs no copy.
            output.accept(Frames.decode(frame, maxPayloadBytes, false));
        }
        Frame frame;
        while ((frame = Frames.decode(input, maxPayloadBytes)) != null) {
            output.accept(frame);
        }
        if (input.hasRemaining()) {
            incomplete = ByteBuffer.allocate(Frames.HEADER_BYTES);
            complete(input);
        }
    }

    /** Returns true while the start of an incomplete frame waits for its rest. */
    boolean hasIncompleteFrame() {
        return incomplete != null;
    }

    /**
     * Moves bytes from {@code input} into the incomplete frame, only as many as it lacks,
     * growing it to the frame's size once its header is whole and valid.
     *
     * @return true when the frame is whole
     */
    private boolean complete(ByteBuffer input) throws FrameDecodingException {
        if (incomplete.position() < Frames.HEADER_BYTES) {
            transfer(input, incomplete, Frames.HEADER_BYTES - incomplete.position());
            if (incomplete.position() < Frames.HEADER_BYTES) {
                return false;
            }
            // Checks the header before waiting for a payload that would not fit.
            Frames.decode(incomplete.duplicate().flip(), maxPayloadBytes);
            int frameBytes = Frames.HEADER_BYTES + Frames.payloadLength(incomplete, 0);
            incomplete = ByteBuffer.allocate(frameBytes).put(incomplete.flip());
        }
        transfer(input, incomplete, incomplete.capacity() - incomplete.position());
        return !incomplete.hasRemaining();
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
