package io.weft.control.internal;

import io.weft.control.ControlTls;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * MINA's SSL filter with four changes: the server prefers its own cipher suite order, the
 * client names the peer by the host it dialled, never by a reverse DNS lookup of the peer's
 * address as {@link SslFilter} does in MINA 2.2.10, a session may bring its own TLS context in
 * {@link #SSL_CONTEXT}, and the filter uses MINA's blocking handshake pipeline.
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
        return engine;
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
