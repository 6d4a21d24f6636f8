package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.future.DefaultWriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accepting side of {@link TunnelTlsFilter} on an in-memory MINA session, against a JDK
 * {@link SSLEngine} in client mode that the test drives, so records can be cut anywhere.
 */
class TunnelTlsFilterTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GATEWAY = "gw1.east.acme.example";

    @TempDir
    static Path caDirectory;
    @TempDir
    static Path otherCaDirectory;

    private static CertificateAuthority ca;
    private static SSLContext gatewayContext;
    private static SSLContext edgeContext;
    private static SSLContext strangerContext;

    private final DummySession server = new DummySession();
    private final ServerHandler handler = new ServerHandler();
    private final List<byte[]> serverOutput = new ArrayList<>();
    private SSLEngine client;

    @BeforeAll
    static void createContexts() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        gatewayContext = context(ca, ca, "gw1", "node-gw1");
        edgeContext = context(ca, ca, "edge1", "node-edge1");
        CertificateAuthority otherCa = new CaFiles(Clock.systemUTC(), RANDOM).create(otherCaDirectory, "Other");
        strangerContext = context(otherCa, ca, "edge1", "node-edge1");
    }

    @BeforeEach
    void openServerSession() {
        server.getFilterChain().addLast("capture", new OutputCapture());
        server.getFilterChain().addLast("tls", TunnelTlsFilter.server(gatewayContext));
        server.setHandler(handler);
        server.getFilterChain().fireSessionCreated();
        server.getFilterChain().fireSessionOpened();
    }

    @Test
    void handshakeNegotiatesTls13WithAes128() throws Exception {
        client = clientEngine(edgeContext);

        handshake(Integer.MAX_VALUE);

        assertThat(handler.events).containsExactly(SslEvent.SECURED);
        SSLSession secured = (SSLSession) server.getAttribute(SslFilter.SSL_SECURED);
        assertThat(secured.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(secured.getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        X509Certificate peer = (X509Certificate) secured.getPeerCertificates()[0];
        assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=edge1.east.acme.example");
    }

    @Test
    void recordsFedByteByByteArriveIntact() throws Exception {
        client = clientEngine(edgeContext);
        handshake(1);
        byte[] data = randomBytes(40_000);

        feed(wrap(data), 1);

        assertThat(handler.received.toByteArray()).isEqualTo(data);
        assertThat(handler.exceptions).isEmpty();
    }

    @Test
    void recordsCutAcrossReadsArriveIntact() throws Exception {
        client = clientEngine(edgeContext);
        handshake(Integer.MAX_VALUE);
        byte[] data = randomBytes(300_000);

        feed(wrap(data), 7_001);

        assertThat(handler.received.toByteArray()).isEqualTo(data);
    }

    @Test
    void largeWriteIsEncryptedIntoFullRecords() throws Exception {
        client = clientEngine(edgeContext);
        handshake(Integer.MAX_VALUE);
        byte[] data = randomBytes(Frames.HEADER_BYTES + 64 * 1024);
        int buffersBefore = serverOutput.size();

        server.write(IoBuffer.wrap(data));

        assertThat(serverOutput.size() - buffersBefore).as("buffers for the whole frame").isEqualTo(1);
        assertThat(unwrapServerOutput()).isEqualTo(data);
        assertThat(handler.sent).as("the handler hears of the frame it wrote").hasSize(1);
        assertThat(((IoBuffer) handler.sent.get(0)).limit()).isEqualTo(data.length);
    }

    @Test
    void writeBeforeHandshakeIsSentAfterIt() throws Exception {
        client = clientEngine(edgeContext);
        byte[] early = randomBytes(100);

        server.write(IoBuffer.wrap(early));
        handshake(Integer.MAX_VALUE);

        assertThat(unwrapServerOutput()).isEqualTo(early);
    }

    @Test
    void keyUpdateKeepsDataFlowingBothWays() throws Exception {
        client = clientEngine(edgeContext);
        handshake(Integer.MAX_VALUE);

        client.beginHandshake();
        feed(wrap(new byte[0]), Integer.MAX_VALUE);
        byte[] toClient = randomBytes(5_000);
        server.write(IoBuffer.wrap(toClient));
        byte[] toServer = randomBytes(5_000);
        feed(wrap(toServer), Integer.MAX_VALUE);

        assertThat(unwrapServerOutput()).isEqualTo(toClient);
        assertThat(handler.received.toByteArray()).isEqualTo(toServer);
        assertThat(handler.exceptions).isEmpty();
    }

    @Test
    void closeNotifyIsAnsweredAndLaterWritesFail() throws Exception {
        client = clientEngine(edgeContext);
        handshake(Integer.MAX_VALUE);

        TlsConnection connection = TunnelTlsFilter.connection(server);

        client.closeOutbound();
        feed(wrap(new byte[0]), Integer.MAX_VALUE);
        unwrapServerOutput();
        WriteRequest late = new DefaultWriteRequest(IoBuffer.wrap(new byte[] {1}), new DefaultWriteFuture(server));
        connection.write(late);

        assertThat(client.isInboundDone()).as("the server answered with close_notify").isTrue();
        assertThat(server.isClosing()).as("the server closes the session").isTrue();
        assertThat(late.getFuture().getException()).as("a write after close_notify fails").isNotNull();
        assertThat(handler.exceptions).isEmpty();
    }

    @Test
    void serverClosingSendsCloseNotify() throws Exception {
        client = clientEngine(edgeContext);
        handshake(Integer.MAX_VALUE);

        TunnelTlsFilter.connection(server).closeOutbound();
        unwrapServerOutput();

        assertThat(client.isInboundDone()).isTrue();
    }

    @Test
    void clientFromAnotherCaIsRejectedWithAlert() throws Exception {
        client = clientEngine(strangerContext);

        try {
            handshake(Integer.MAX_VALUE);
        } catch (SSLException e) {
            // The client reads the server's alert.
        }

        assertThat(handler.events).isEmpty();
        assertThat(handler.exceptions).hasSize(1);
        assertThat(handler.exceptions.get(0)).isInstanceOf(SSLException.class);
        assertThat(server.getAttribute(SslFilter.SSL_SECURED)).isNull();
    }

    @Test
    void tunnelSuitesPreferAes128() {
        List<String> suites = TunnelTlsFilter.cipherSuites(gatewayContext);

        assertThat(suites.get(0)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(suites).contains("TLS_AES_256_GCM_SHA384");
        assertThat(suites).allMatch(suite -> suite.contains("GCM") || suite.contains("CHACHA20"));
    }

    /**
     * Runs the client's side of the handshake, feeding the server records cut into {@code chunk}
     * bytes. The client reads what the server sent after its Finished, such as session tickets,
     * only with the next server output, because the record sequence must not skip any.
     */
    private void handshake(int chunk) throws SSLException {
        client.beginHandshake();
        for (int step = 0; step < 50; step++) {
            HandshakeStatus status = client.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_WRAP) {
                feed(wrap(new byte[0]), chunk);
            } else if (status == HandshakeStatus.NEED_UNWRAP) {
                if (serverOutput.isEmpty()) {
                    throw new AssertionError("the client waits for the server, which sent nothing");
                }
                unwrapServerOutput();
            } else if (status == HandshakeStatus.NEED_TASK) {
                client.getDelegatedTask().run();
            } else {
                return;
            }
        }
        throw new AssertionError("the handshake did not finish in 50 steps");
    }

    private byte[] wrap(byte[] plaintext) throws SSLException {
        ByteBuffer source = ByteBuffer.wrap(plaintext);
        ByteBuffer records = ByteBuffer.allocate(plaintext.length + 64 * 1024);
        do {
            SSLEngineResult result = client.wrap(source, records);
            if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
                throw new AssertionError("client wrap: " + result);
            }
        } while (source.hasRemaining() || client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && !client.isOutboundDone());
        byte[] bytes = new byte[records.flip().remaining()];
        records.get(bytes);
        return bytes;
    }

    /** Unwraps everything the server wrote so far and returns its application data. */
    private byte[] unwrapServerOutput() throws SSLException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        serverOutput.forEach(all::writeBytes);
        serverOutput.clear();
        ByteBuffer source = ByteBuffer.wrap(all.toByteArray());
        ByteBuffer plaintext = ByteBuffer.allocate(source.remaining() + 64 * 1024);
        while (source.hasRemaining() && !client.isInboundDone()) {
            SSLEngineResult result = client.unwrap(source, plaintext);
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                client.getDelegatedTask().run();
            }
            if (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !client.isOutboundDone()) {
                feed(wrap(new byte[0]), Integer.MAX_VALUE);
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                throw new AssertionError("the server wrote an incomplete record");
            }
        }
        byte[] bytes = new byte[plaintext.flip().remaining()];
        plaintext.get(bytes);
        return bytes;
    }

    private void feed(byte[] ciphertext, int chunk) {
        for (int offset = 0; offset < ciphertext.length; offset += chunk) {
            int length = Math.min(chunk, ciphertext.length - offset);
            server.getFilterChain().fireMessageReceived(IoBuffer.wrap(ciphertext, offset, length));
        }
    }

    private static SSLEngine clientEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine(GATEWAY, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static SSLContext context(CertificateAuthority issuer, CertificateAuthority trusted, String node,
            String nodeId) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = issuer.issue(IssueRequest.node(keys.getPublic(), node, "east.acme.example", nodeId));
        return TlsContexts.mutualTlsContext(keys.getPrivate(), issuer.chainFor(leaf), trusted.rootCertificate(),
                Set::of, Clock.systemUTC(), RANDOM);
    }

    /** Copies every buffer that the server writes towards the network. */
    private final class OutputCapture extends IoFilterAdapter {
        @Override
        public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
            ByteBuffer records = ((IoBuffer) request.getMessage()).buf().duplicate();
            byte[] bytes = new byte[records.remaining()];
            records.get(bytes);
            serverOutput.add(bytes);
            next.filterWrite(session, request);
        }
    }

    /** Records what reaches the server's handler. */
    private static final class ServerHandler extends IoHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<FilterEvent> events = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();
        final List<Object> sent = new ArrayList<>();

        @Override
        public void messageReceived(IoSession session, Object message) {
            ByteBuffer plaintext = ((IoBuffer) message).buf();
            byte[] bytes = new byte[plaintext.remaining()];
            plaintext.get(bytes);
            received.writeBytes(bytes);
        }

        @Override
        public void messageSent(IoSession session, Object message) {
            sent.add(message);
        }

        @Override
        public void event(IoSession session, FilterEvent event) {
            events.add(event);
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            exceptions.add(cause);
        }
    }
}
