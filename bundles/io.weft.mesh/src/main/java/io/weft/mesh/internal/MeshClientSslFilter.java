package io.weft.mesh.internal;

import io.weft.control.ControlTls;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * MINA's SSL filter for the dialling side of a tunnel. It checks the server's certificate
 * against the node name that the caller expects ({@link #PEER_NAME}), not against the
 * address it dialled, and it enables the protocols and cipher suites of {@link ControlTls}.
 * The accepting side uses {@link ControlTls#serverFilter} as it is.
 */
public final class MeshClientSslFilter extends SslFilter {

    /** Full name {@code <node>.<domain>} that the server's certificate must carry as a DNS name. */
    public static final AttributeKey PEER_NAME = new AttributeKey(MeshClientSslFilter.class, "peerName");

    public MeshClientSslFilter(SSLContext sslContext) {
        super(sslContext);
        // NOTE: with MINA 2.2.10's default non-blocking pipeline (SSLHandlerG1) and TLS 1.3, the
        // server sometimes did not deliver application data that arrived right after the
        // client's Finished message (found in io.weft.control, whose ControlSslFilter makes the
        // same switch). The blocking pipeline (SSLHandlerG0) delivers it. That filter is
        // internal to its bundle and takes the peer name only from the dialled host, hence this one.
        setUseNonBlockingPipeline(false);
        setEndpointIdentificationAlgorithm("HTTPS");
        setEnabledProtocols(ControlTls.PROTOCOLS.toArray(String[]::new));
        setEnabledCipherSuites(ControlTls.cipherSuites(sslContext).toArray(String[]::new));
    }

    @Override
    protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
        Object peerName = session.getAttribute(PEER_NAME);
        if (!(peerName instanceof String name)) {
            throw new IllegalStateException("Mesh session " + session.getId() + " has no expected peer name");
        }
        SSLEngine engine = sslContext.createSSLEngine(name, address == null ? -1 : address.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(enabledProtocols);
        parameters.setCipherSuites(enabledCipherSuites);
        parameters.setEndpointIdentificationAlgorithm(getEndpointIdentificationAlgorithm());
        engine.setSSLParameters(parameters);
        return engine;
    }
}
