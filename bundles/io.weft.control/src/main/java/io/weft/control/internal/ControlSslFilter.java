package io.weft.control.internal;

import io.weft.control.ControlTls;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's SSL filter with five changes: the server prefers its own cipher suite order, the
 * client names the peer by the host it dialled, never by a reverse DNS lookup of the peer's
 * address as {@link SslFilter} does in MINA 2.2.10, a session may bring its own TLS context in
 * {@link #SSL_CONTEXT}, the filter uses MINA's blocking handshake pipeline, and a failed
 * handshake sends its fatal alert whichever JSSE implementation runs the engine.
 */
public final class ControlSslFilter extends SslFilter {

    /** Host name or IP literal that the client dialled, for endpoint identification. */
    public static final AttributeKey PEER_HOST = new AttributeKey(ControlSslFilter.class, "peerHost");

    /**
     * TLS context of one session, used in place of the filter's context, so that sessions of
     * one connector can present different certificates. Its cipher suites are chosen as
     * {@link ControlTls#cipherSuites} describes.
     */
    public static final AttributeKey SSL_CONTEXT = new AttributeKey(ControlSslFilter.class, "sslContext");

    private static final Logger LOG = LoggerFactory.getLogger(ControlSslFilter.class);

    /** The engine of the session, kept to send the alert of a failed handshake. */
    private static final AttributeKey ENGINE = new AttributeKey(ControlSslFilter.class, "engine");

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    public ControlSslFilter(SSLContext sslContext) {
        super(sslContext);
        // NOTE: with MINA 2.2.10's default non-blocking pipeline (SSLHandlerG1) and TLS 1.3,
        // the server sometimes did not deliver application data that arrived right after the
        // client's Finished message. The node's HELLO was lost and the session hit the HELLO
        // timeout in ControlLoopbackTest. The other pipeline (SSLHandlerG0) delivers it, and
        // both run handshake tasks on MINA's ssl-exec threads.
        setUseNonBlockingPipeline(false);
    }

    @Override
    protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
        SSLContext context = sessionContext(session);
        SSLEngine engine = session.isServer() ? context.createSSLEngine() : clientEngine(context, session, address);
        engine.setUseClientMode(!session.isServer());
        if (needClientAuth) {
            engine.setNeedClientAuth(true);
        } else if (wantClientAuth) {
            engine.setWantClientAuth(true);
        }

        SSLParameters parameters = engine.getSSLParameters();
        if (enabledProtocols != null) {
            parameters.setProtocols(enabledProtocols);
        }
        if (context != sslContext) {
            parameters.setCipherSuites(ControlTls.cipherSuites(context).toArray(String[]::new));
        } else if (enabledCipherSuites != null) {
            parameters.setCipherSuites(enabledCipherSuites);
        }
        parameters.setUseCipherSuitesOrder(true);
        if (getEndpointIdentificationAlgorithm() != null) {
            parameters.setEndpointIdentificationAlgorithm(getEndpointIdentificationAlgorithm());
        }
        engine.setSSLParameters(parameters);
        session.setAttribute(ENGINE, engine);
        return engine;
    }

    /**
     * Passes received bytes to MINA's handler and, when the engine rejects them, sends the
     * engine's fatal alert before the error closes the session. Bouncy Castle's engine throws
     * a handshake failure from {@code unwrap} and returns the alert from the next
     * {@code wrap}. MINA 2.2.10 wraps again only after a failed delegated task, which is where
     * the JDK's engine fails, so without this the peer would see the connection close without
     * the alert that gives the reason, such as {@code certificate_required}.
     */
    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        try {
            super.messageReceived(next, session, message);
        } catch (SSLException e) {
            sendPendingAlert(next, session);
            throw e;
        }
    }

    private static void sendPendingAlert(NextFilter next, IoSession session) {
        if (!(session.getAttribute(ENGINE) instanceof SSLEngine engine)) {
            return;
        }
        ByteBuffer alert = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        try {
            SSLEngineResult result;
            do {
                result = engine.wrap(EMPTY, alert);
            } while (result.getStatus() == SSLEngineResult.Status.OK && result.bytesProduced() > 0);
        } catch (SSLException e) {
            LOG.debug("Control session {}: the engine had no alert to send: {}", session.getId(), e.toString());
        }
        alert.flip();
        if (alert.hasRemaining()) {
            next.filterWrite(session, new DefaultWriteRequest(IoBuffer.wrap(alert)));
        }
    }

    private SSLContext sessionContext(IoSession session) {
        return session.getAttribute(SSL_CONTEXT) instanceof SSLContext own ? own : sslContext;
    }

    private static SSLEngine clientEngine(SSLContext context, IoSession session, InetSocketAddress address) {
        Object dialled = session.getAttribute(PEER_HOST);
        if (dialled instanceof String host) {
            return context.createSSLEngine(host, address == null ? -1 : address.getPort());
        }
        if (address != null) {
            return context.createSSLEngine(address.getHostString(), address.getPort());
        }
        return context.createSSLEngine();
    }
}
