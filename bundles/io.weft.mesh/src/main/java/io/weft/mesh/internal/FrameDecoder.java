package io.weft.mesh.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Decodes the mesh frames of each session of an endpoint with a {@link StreamFrameDecoder} per
 * session. A DATA frame's payload is a view of the input, or of a pooled buffer that collected
 * an incomplete frame, and is valid only while the output handles the frame. Once a session's
 * input failed to decode, the rest of its input is discarded.
 */
public final class FrameDecoder {

    /** The session's decoder, created with its first input. */
    private static final AttributeKey DECODER = new AttributeKey(FrameDecoder.class, "decoder");
    /** Set once a frame failed to decode; all later input of the session is discarded. */
    private static final AttributeKey FAILED = new AttributeKey(FrameDecoder.class, "failed");

    private final int maxPayloadBytes;

    public FrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Passes each whole frame of {@code input} to {@code output}, in order, and keeps the start
     * of an incomplete one for the session's next input. Consumes all of {@code input}.
     *
     * @throws FrameDecodingException when the bytes are not a valid frame
     */
    public void decode(IoSession session, ByteBuffer input, Consumer<Frame> output) throws FrameDecodingException {
        if (session.containsAttribute(FAILED)) {
            input.position(input.limit());
            return;
        }
        try {
            decoder(session).decode(input, output);
        } catch (FrameDecodingException e) {
            session.setAttribute(FAILED, Boolean.TRUE);
            dispose(session);
            input.position(input.limit());
            throw e;
        }
    }

    /** Drops the session's incomplete frame, if any, as when the session closes. */
    public void dispose(IoSession session) {
        Object decoder = session.removeAttribute(DECODER);
        if (decoder instanceof StreamFrameDecoder streamDecoder) {
            streamDecoder.dispose();
        }
    }

    private StreamFrameDecoder decoder(IoSession session) {
        StreamFrameDecoder decoder = (StreamFrameDecoder) session.getAttribute(DECODER);
        if (decoder == null) {
            decoder = new StreamFrameDecoder(maxPayloadBytes);
            session.setAttribute(DECODER, decoder);
        }
        return decoder;
    }
}
