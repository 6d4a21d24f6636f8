package io.weft.mesh.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Decodes mesh frames into {@link Frame}s. Stateless apart from MINA's cumulative buffer and
 * a failure mark, both kept in session attributes, so one instance serves all sessions.
 */
public final class FrameDecoder extends CumulativeProtocolDecoder {

    /** Set once a frame failed to decode; all later input of the session is discarded. */
    private static final AttributeKey FAILED = new AttributeKey(FrameDecoder.class, "failed");

    private final int maxPayloadBytes;

    public FrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        // TCP may split or merge frames on any transport, so always cumulate.
        setTransportMetadataFragmentation(false);
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        if (session.containsAttribute(FAILED)) {
            in.position(in.limit());
            return;
        }
        try {
            super.decode(session, in, out);
        } catch (ProtocolDecoderException e) {
            session.setAttribute(FAILED, Boolean.TRUE);
            dispose(session);
            in.position(in.limit());
            throw e;
        }
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out)
            throws FrameDecodingException {
        Frame frame = Frames.decode(in.buf(), maxPayloadBytes);
        if (frame == null) {
            return false;
        }
        out.write(frame);
        return true;
    }
}
