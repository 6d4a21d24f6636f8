package io.weft.mesh.internal;

import io.weft.control.ControlTls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;

/**
 * TLS of a mesh tunnel, driving one {@link SSLEngine} per MINA session in place of MINA's
 * {@link SslFilter}. It decrypts each read into a direct buffer borrowed from a pool, which a
 * TCP socket takes without the JDK's copy, and passes it on
 * before the read returns, keeps only an incomplete TLS record between reads, and encrypts
 * each written frame into one buffer of full-size records. MINA's own filter allocates new
 * buffers for every read and write and copies the input once more.
 *
 * <p>Both sides enable the protocols and cipher suites of {@link ControlTls}, AES-128-GCM
 * first, and the accepting side picks by its own order. The accepting
 * side requires a client certificate. The dialling side checks the server's certificate
 * against the node name in {@link #PEER_NAME} (endpoint identification "HTTPS"), whatever
 * address it dialled. The trust manager of the {@link SSLContext} checks the chain and the
 * revoked serials. Once the handshake completes, the filter sets {@link SslFilter#SSL_SECURED}
 * to the {@link SSLSession} and sends {@link SslEvent#SECURED} up the chain, as MINA's filter
 * does, so {@link ControlTls#peerCertificateChain} works on these sessions.
 *
 * <p>The filter that follows must not keep the decrypted {@link IoBuffer} after its
 * {@code messageReceived} returns, because the buffer is reused for the next read. The
 * filter frees each buffer that it read from, which gives a read buffer of
 * {@link ReadBufferAllocator} back to its I/O thread.
 */
public final class TunnelTlsFilter extends IoFilterAdapter {

    /** Full name {@code <node>.<domain>} that the server's certificate must carry as a DNS name. */
    public static final AttributeKey PEER_NAME = new AttributeKey(TunnelTlsFilter.class, "peerName");

    /**
     * Set on a dialled session whose side runs the TLS server: the destination's connection of
     * a relayed tunnel, which the source's TLS client reaches through the gateway's splice.
     */
    public static final AttributeKey SERVER_SIDE = new AttributeKey(TunnelTlsFilter.class, "serverSide");

    private static final AttributeKey CONNECTION = new AttributeKey(TunnelTlsFilter.class, "connection");
    /** Decrypted buffers and incomplete records kept for reuse, enough for the I/O threads of a busy endpoint. */
    private static final int POOLED_BUFFERS = 16;

    private final SSLContext sslContext;
    private final boolean server;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final BufferPool plaintextBuffers;
    private final BufferPool ciphertextBuffers;

    private TunnelTlsFilter(SSLContext sslContext, boolean server) {
        this.sslContext = sslContext;
        this.server = server;
        this.protocols = ControlTls.PROTOCOLS.toArray(String[]::new);
        this.cipherSuites = cipherSuites(sslContext).toArray(String[]::new);
        SSLSession sizes = sslContext.createSSLEngine().getSession();
        // Four records of plaintext per delivery, and a whole MINA read (64 KiB at most by
        // default) plus the incomplete record before it.
        this.plaintextBuffers = new BufferPool(4 * sizes.getApplicationBufferSize(), POOLED_BUFFERS, true);
        this.ciphertextBuffers = new BufferPool(sizes.getPacketBufferSize() + 64 * 1024, POOLED_BUFFERS);
    }

    /** Returns the filter of an acceptor; it requires a client certificate. */
    public static TunnelTlsFilter server(SSLContext sslContext) {
        return new TunnelTlsFilter(sslContext, true);
    }

    /** Returns the filter of a connector; each session needs its {@link #PEER_NAME} before it opens. */
    public static TunnelTlsFilter client(SSLContext sslContext) {
        return new TunnelTlsFilter(sslContext, false);
    }

    /**
     * Sends the TLS close_notify alert after the writes already queued on {@code session} and
     * leaves the session open, so that it closes when the peer's close_notify arrives. Returns
     * false, and does nothing, for a session without this filter.
     */
    public static boolean closeAfterPeer(IoSession session) {
        if (session.getAttribute(CONNECTION) instanceof TlsConnection connection) {
            connection.closeOutbound();
            return true;
        }
        return false;
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        TlsConnection connection = new TlsConnection(session, createEngine(session), next, plaintextBuffers,
                ciphertextBuffers);
        session.setAttribute(CONNECTION, connection);
        if (!serverSide(session)) {
            connection.beginHandshake();
        }
        next.sessionOpened(session);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer input)) {
            throw new IllegalArgumentException("Mesh session " + session.getId() + " received a "
                    + message.getClass().getName() + ", but the TLS filter takes only IoBuffers");
        }
        TlsConnection connection = connection(session);
        if (connection == null) {
            throw new SSLException("Mesh session " + session.getId() + " received data while it has no TLS engine");
        }
        try {
            connection.receive(input);
        } finally {
            // Nothing keeps the ciphertext after receive, so its buffer may serve the next read.
            input.free();
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        if (request instanceof TlsRecordWrite) {
            next.filterWrite(session, request);
            return;
        }
        TlsConnection connection = connection(session);
        if (connection == null) {
            // The session has not opened yet or has closed. MINA fails such writes the same way.
            request.getFuture().setException(new WriteToClosedSessionException(request));
            return;
        }
        connection.write(request);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        if (request instanceof TlsRecordWrite records) {
            TlsConnection connection = connection(session);
            if (connection != null) {
                connection.recordWriteSent();
            }
            if (records.plaintext() != null) {
                next.messageSent(session, records.plaintext());
            }
            return;
        }
        next.messageSent(session, request);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) throws Exception {
        Object connection = session.removeAttribute(CONNECTION);
        if (connection instanceof TlsConnection tls) {
            tls.dispose();
        }
        session.removeAttribute(SslFilter.SSL_SECURED);
        next.sessionClosed(session);
    }

    /**
     * Returns the cipher suites of {@link ControlTls#cipherSuites} with 128-bit AES-GCM first in
     * each protocol. Both are AEAD suites with forward secrecy, and AES-128 runs 10 rounds per
     * block against 14, so a tunnel moves more bytes per CPU second.
     */
    static List<String> cipherSuites(SSLContext sslContext) {
        List<String> suites = new ArrayList<>(ControlTls.cipherSuites(sslContext));
        suites.sort(Comparator.comparingInt(TunnelTlsFilter::preference));
        return List.copyOf(suites);
    }

    private static int preference(String suite) {
        int rank = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") ? 0 : 10;
        if (suite.contains("AES_256")) {
            rank += 1;
        } else if (suite.contains("CHACHA20")) {
            rank += 2;
        }
        return rank;
    }

    /** Returns true when this side of {@code session} runs the TLS server and checks the client's certificate. */
    public static boolean isServerSide(IoSession session) {
        return session.isServer() || session.containsAttribute(SERVER_SIDE);
    }

    /** Returns true when this filter runs the TLS server on {@code session}: an acceptor's, or one with SERVER_SIDE. */
    private boolean serverSide(IoSession session) {
        return server || session.containsAttribute(SERVER_SIDE);
    }

    /** Returns the session's TLS connection, or null before it opened or after it closed. */
    static TlsConnection connection(IoSession session) {
        return (TlsConnection) session.getAttribute(CONNECTION);
    }

    private SSLEngine createEngine(IoSession session) {
        SSLEngine engine;
        SSLParameters parameters;
        if (serverSide(session)) {
            engine = sslContext.createSSLEngine();
            engine.setUseClientMode(false);
            parameters = engine.getSSLParameters();
            parameters.setNeedClientAuth(true);
        } else {
            if (!(session.getAttribute(PEER_NAME) instanceof String peerName)) {
                throw new IllegalStateException("Mesh session " + session.getId() + " has no expected peer name");
            }
            InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
            engine = sslContext.createSSLEngine(peerName, remote == null ? -1 : remote.getPort());
            engine.setUseClientMode(true);
            parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (RelayDialFilter.isRelayed(session)) {
                // The gateway's splice carries the ClientHello in the clear, so it names no node.
                parameters.setServerNames(List.of());
            }
        }
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return engine;
    }
}
