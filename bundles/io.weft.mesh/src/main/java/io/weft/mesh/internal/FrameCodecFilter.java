package io.weft.mesh.internal;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Frame codec of a mesh session. It decodes the plaintext from the TLS filter into
 * {@link Frame}s and passes each one on before it decodes the next, so that a DATA frame's
 * payload can stay a view of the plaintext, valid until the handler returns. MINA's
 * {@code ProtocolCodecFilter} instead queues every frame of a read before it passes any on.
 * Writes pass through, because the multiplexer writes frames already encoded.
 */
public final class FrameCodecFilter extends IoFilterAdapter {

    private final FrameDecoder decoder;

    public FrameCodecFilter(int maxPayloadBytes) {
        this.decoder = new FrameDecoder(maxPayloadBytes);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        if (!(message instanceof IoBuffer input)) {
            next.messageReceived(session, message);
            return;
        }
        try {
            decoder.decode(session, input.buf(), frame -> next.messageReceived(session, frame));
        } catch (FrameDecodingException e) {
            next.exceptionCaught(session, e);
        }
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) {
        decoder.dispose(session);
        next.sessionClosed(session);
    }
}
