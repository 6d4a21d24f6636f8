package io.weft.control.internal;

import io.weft.control.ControlMessage;
import io.weft.control.FrameType;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Decodes control frames into {@link ControlMessage}s. Stateless apart from MINA's
 * cumulative buffer and a failure mark, both kept in session attributes, so one instance
 * serves all sessions.
 */
public final class FrameDecoder extends CumulativeProtocolDecoder {

    /** Set once a frame failed to decode; all later input of the session is discarded. */
    private static final AttributeKey FAILED = new AttributeKey(FrameDecoder.class, "failed");

    private final int maxPayloadBytes;

    public FrameDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        // TCP may split or merge frames on any transport, so always cumulate, also on
        // sessions whose transport metadata claims no fragmentation.
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
            throws ProtocolDecoderException {
        int start = in.position();
        if (in.remaining() < Frames.LENGTH_BYTES) {
            return false;
        }
        int length = checkedLength(in.getInt(start));
        if (in.remaining() < Frames.HEADER_BYTES) {
            return false;
        }
        FrameType type = checkedType(in.get(start + Frames.LENGTH_BYTES) & 0xFF);
        if (in.remaining() < Frames.HEADER_BYTES + length) {
            return false;
        }

        byte[] payload = new byte[length];
        in.position(start + Frames.HEADER_BYTES);
        in.get(payload);

        out.write(Payloads.decode(type, payload));
        return true;
    }

    private int checkedLength(int length) throws ProtocolDecoderException {
        if (length < 0) {
            throw new FrameDecodingException("Invalid frame length " + Integer.toUnsignedLong(length)
                    + ": it exceeds the maximum payload size of " + maxPayloadBytes + " bytes");
        }
        if (length > maxPayloadBytes) {
            throw new FrameDecodingException("Invalid frame length " + length
                    + ": it exceeds the maximum payload size of " + maxPayloadBytes + " bytes");
        }
        return length;
    }

    private static FrameType checkedType(int code) throws ProtocolDecoderException {
        return FrameType.fromCode(code).orElseThrow(() -> new FrameDecodingException(
                "Unknown frame type " + code + ": known types are 1 to " + FrameType.maxCode()));
    }
}
