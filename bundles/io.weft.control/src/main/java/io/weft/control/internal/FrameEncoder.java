package io.weft.control.internal;

import io.weft.control.ControlMessage;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderException;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/** Encodes {@link ControlMessage}s into control frames; stateless and shared by all sessions. */
public final class FrameEncoder extends ProtocolEncoderAdapter {

    private final int maxPayloadBytes;

    public FrameEncoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out)
            throws ProtocolEncoderException {
        if (!(message instanceof ControlMessage controlMessage)) {
            throw new ProtocolEncoderException("Cannot encode " + message.getClass().getName()
                    + ": the control codec writes only ControlMessage instances");
        }

        byte[] payload = Payloads.encode(controlMessage);
        if (payload.length > maxPayloadBytes) {
            throw new ProtocolEncoderException("Cannot send " + controlMessage.type() + ": its payload of "
                    + payload.length + " bytes exceeds the maximum payload size of " + maxPayloadBytes + " bytes");
        }

        IoBuffer frame = IoBuffer.allocate(Frames.HEADER_BYTES + payload.length);
        frame.putInt(payload.length);
        frame.put((byte) controlMessage.type().code());
        frame.put(payload);
        frame.flip();
        out.write(frame);
    }
}
