package io.weft.mesh.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * The dialling side of a relayed tunnel, first in the connector's filter chain: a session
 * with a {@link #PREAMBLE} sends it before anything else, so before the TLS filter's first
 * record, and then runs its tunnel as any other session. Sessions without one pass unchanged.
 */
public final class RelayDialFilter extends IoFilterAdapter {

    /** The {@link RelayPreamble} that a relayed session presents to its gateway, as bytes. */
    public static final AttributeKey PREAMBLE = new AttributeKey(RelayDialFilter.class, "preamble");

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        if (session.getAttribute(PREAMBLE) instanceof byte[] preamble) {
            send(session, ByteBuffer.wrap(preamble));
        }
        next.sessionOpened(session);
    }

    /** Returns true when {@code session} is a relayed tunnel's connection to its gateway. */
    public static boolean isRelayed(IoSession session) {
        return session.containsAttribute(PREAMBLE);
    }

    /**
     * Writes the preamble straight to the new socket, which takes its 40 bytes at once. MINA's
     * queue could let the TLS filter's first record, which that filter may write directly, go
     * before it.
     */
    private static void send(IoSession session, ByteBuffer preamble) throws IOException {
        if (!(session instanceof NioSession nio)) {
            throw new IOException("Cannot relay mesh session " + session.getId() + ": it has no socket channel to"
                    + " write the relay preamble to");
        }
        nio.getChannel().write(preamble);
        if (preamble.hasRemaining()) {
            throw new IOException("Mesh session " + session.getId() + ": the socket took " + preamble.position()
                    + " of the relay preamble's " + preamble.limit() + " bytes");
        }
    }
}
