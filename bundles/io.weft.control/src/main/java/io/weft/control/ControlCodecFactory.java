package io.weft.control;

import io.weft.control.internal.FrameDecoder;
import io.weft.control.internal.FrameEncoder;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/**
 * MINA codec between {@link ControlMessage}s and control frames.
 *
 * <p>A frame is a 4-byte big-endian payload length, a 1-byte {@link FrameType} code and the
 * payload. The length counts the payload only. The decoder rejects a length above
 * {@link #maxPayloadBytes()} or an unknown type as soon as the header arrives, so a session
 * never buffers more than one frame of the maximum size. It raises a
 * {@link org.apache.mina.filter.codec.ProtocolDecoderException} that names the value and
 * the limit and discards all later input of that session, which the handler then closes.
 * The encoder raises a {@link org.apache.mina.filter.codec.ProtocolEncoderException} for a
 * message whose payload exceeds the same limit.
 */
public final class ControlCodecFactory implements ProtocolCodecFactory {

    /** Default maximum payload size: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    private final int maxPayloadBytes;
    private final FrameDecoder decoder;
    private final FrameEncoder encoder;

    public ControlCodecFactory() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * @param maxPayloadBytes largest payload that the codec reads or writes, in bytes; both
     *     sides of a connection should use the same value
     */
    public ControlCodecFactory(int maxPayloadBytes) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1, but is " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.decoder = new FrameDecoder(maxPayloadBytes);
        this.encoder = new FrameEncoder(maxPayloadBytes);
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }
}
