package io.weft.mesh.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Decodes mesh frames into {@link Frame}s straight from each input buffer, with a
 * {@link StreamFrameDecoder} per session. A whole frame in the input gets a copy of its
 * payload. When the input ends in the middle of a frame, that frame's bytes go into a buffer of
 * its size, which becomes the frame's payload without a second copy once the rest arrives, and
 * the session keeps nothing between frames. MINA's {@code CumulativeProtocolDecoder} instead
 * allocates and grows a buffer for every incomplete frame and copies the payload out of it.
 * The input buffer may be reused once {@link #decode} returns, because every frame owns what
 * it keeps. One instance serves all sessions of an endpoint.
 */
public final class FrameDecoder implements ProtocolDecoder {

    /** The session's decoder, created with its first input. */
    private static final AttributeKey DECODER = new AttributeKey(FrameDecoder.class, "decoder");
    /** Set once a frame failed to decode; all later input of the session is discarded. */
    private static final AttributeKey FAILED = new AttributeKey(FrameDecoder.class, "failed");

    private final int maxPayloadBytes;

    public FrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws FrameDecodingException {
        if (session.containsAttribute(FAILED)) {
            in.position(in.limit());
            return;
        }
        try {
            decoder(session).decode(in.buf(), out::write);
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
        session.removeAttribute(DECODER);
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
