package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Decodes mesh frames into {@link Frame}s straight from each input buffer. When the input ends
 * in the middle of a frame, only that frame's bytes are copied, into a buffer of the largest
 * frame size. The buffer comes from a pool and goes back once the frame is complete, so an
 * idle session keeps none. MINA's {@code CumulativeProtocolDecoder} instead allocates and grows a buffer for
 * every incomplete frame. The input buffer may be reused once {@link #decode} returns, because
 * every frame copies what it keeps. One instance serves all sessions of an endpoint.
 */
public final class FrameDecoder implements ProtocolDecoder {

    /** The incomplete frame of a session, in write mode, or absent. */
    private static final AttributeKey INCOMPLETE = new AttributeKey(FrameDecoder.class, "incomplete");
    /** Set once a frame failed to decode; all later input of the session is discarded. */
    private static final AttributeKey FAILED = new AttributeKey(FrameDecoder.class, "failed");
    /** Buffers for incomplete frames kept for reuse, enough for the I/O threads of a busy endpoint. */
    private static final int POOLED_BUFFERS = 16;

    private final int maxPayloadBytes;
    private final BufferPool incompleteFrames;

    public FrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.incompleteFrames = new BufferPool(Frames.HEADER_BYTES + maxPayloadBytes, POOLED_BUFFERS);
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws FrameDecodingException {
        if (session.containsAttribute(FAILED)) {
            in.position(in.limit());
            return;
        }
        try {
            decodeAll(session, in.buf(), out);
        } catch (FrameDecodingException e) {
            session.setAttribute(FAILED, Boolean.TRUE);
            dispose(session);
            in.position(in.limit());
            throw e;
        }
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // An incomplete frame at the end of the connection is dropped.
    }

    @Override
    public void dispose(IoSession session) {
        Object incomplete = session.removeAttribute(INCOMPLETE);
        if (incomplete instanceof ByteBuffer buffer) {
            incompleteFrames.release(buffer);
        }
    }

    private void decodeAll(IoSession session, ByteBuffer input, ProtocolDecoderOutput out)
            throws FrameDecodingException {
        ByteBuffer incomplete = (ByteBuffer) session.getAttribute(INCOMPLETE);
        if (incomplete != null) {
            if (!complete(incomplete, input, out)) {
                return;
            }
            dispose(session);
        }
        Frame frame;
        while ((frame = Frames.decode(input, maxPayloadBytes)) != null) {
            out.write(frame);
        }
        if (input.hasRemaining()) {
            incomplete = incompleteFrames.take();
            incomplete.put(input);
            session.setAttribute(INCOMPLETE, incomplete);
        }
    }

    /**
     * Moves bytes from {@code input} into the incomplete frame, only as many as it lacks, and
     * decodes it once it is whole.
     *
     * @return true when the frame was decoded, false when {@code input} ran out first
     */
    private boolean complete(ByteBuffer incomplete, ByteBuffer input, ProtocolDecoderOutput out)
            throws FrameDecodingException {
        transfer(input, incomplete, Frames.HEADER_BYTES - incomplete.position());
        if (incomplete.position() < Frames.HEADER_BYTES) {
            return false;
        }
        // Checks the header before waiting for a payload that would not fit.
        Frames.decode(incomplete.duplicate().flip(), maxPayloadBytes);
        int frameBytes = Frames.HEADER_BYTES + Frames.payloadLength(incomplete, 0);
        transfer(input, incomplete, frameBytes - incomplete.position());
        if (incomplete.position() < frameBytes) {
            return false;
        }
        incomplete.flip();
        out.write(Frames.decode(incomplete, maxPayloadBytes));
        return true;
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
