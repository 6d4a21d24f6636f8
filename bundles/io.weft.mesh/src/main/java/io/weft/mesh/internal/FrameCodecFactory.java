package io.weft.mesh.internal;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderException;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/**
 * Codec of mesh frames. The multiplexer writes frames already encoded as {@code IoBuffer}s,
 * which MINA's codec filter passes through; the encoder serves callers that write {@link Frame}s.
 */
public final class FrameCodecFactory implements ProtocolCodecFactory {

    private final FrameDecoder decoder;
    private final ProtocolEncoder encoder = new ProtocolEncoderAdapter() {
        @Override
        public void encode(IoSession session, Object message, ProtocolEncoderOutput out)
                throws ProtocolEncoderException {
            if (!(message instanceof Frame frame)) {
                throw new ProtocolEncoderException("Cannot encode " + message.getClass().getName()
                        + ": the mesh codec writes only frames");
            }
            out.write(Frames.encode(frame));
        }
    };

    public FrameCodecFactory(int maxPayloadBytes) {
        this.decoder = new FrameDecoder(maxPayloadBytes);
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
