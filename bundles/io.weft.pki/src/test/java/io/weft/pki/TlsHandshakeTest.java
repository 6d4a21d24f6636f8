package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes over 127.0.0.1 between sockets built from {@link TlsContexts}, with the JDK's
 * JSSE on both sides. {@link BouncyCastleTlsHandshakeTest} runs the same cases with Bouncy
 * Castle's.
 */
class TlsHandshakeTest {

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path temp;

    private CertificateAuthority ca;
    private final Set<BigInteger> revoked = new CopyOnWriteArraySet<>();
    private SSLServerSocket serverSocket;

    @BeforeEach
    void startServer() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), CLOCK, "Test");
        TestPki.Holder server = TestPki.server(ca);
        SSLContext context = TlsContexts.mutualTlsContext(server.keys().getPrivate(), server.chain(),
                ca.rootCertificate(), () -> revoked, CLOCK, TestPki.RANDOM, implementation());
        serverSocket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        serverSocket.setSSLParameters(TlsContexts.serverParameters());
        serverSocket.setSoTimeout(TIMEOUT_MILLIS);
    }

    /** The JSSE implementation of the server and of every client. */
    TlsImplementation implementation() {
        return TlsImplementation.JDK;
    }

    /** Returns the text of the server's error when the client sent no certificate. */
    String noClientCertificateMessage() {
        return "Empty client certificate chain";
    }

    /** Returns the text of the server's error when the client offered TLS 1.1 only. */
    String oldProtocolMessage() {
        return "TLSv1.1";
    }

    @AfterEach
    void stopServer() throws Exception {
        serverSocket.close();
    }

    @Test
    void mutualHandshakeSucceeds() throws Exception {
        CompletableFuture<String> accepted = acceptOne();
        TestPki.Holder node = TestPki.node(ca, "n1");

        try (SSLSocket client = connect(clientContext(node), httpsParameters())) {
            assertThat(client.getInputStream().read()).isEqualTo(42);
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }

        assertThat(accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("CN=n1.edge.example");
    }

    @Test
    void tls12HandshakeSucceeds() throws Exception {
        CompletableFuture<String> accepted = acceptOne();
        SSLParameters parameters = TlsContexts.clientParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});

        try (SSLSocket client = connect(clientContext(TestPki.node(ca, "n1")), parameters)) {
            assertThat(client.getInputStream().read()).isEqualTo(42);
            assertThat(client.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        }

        assertThat(accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("CN=n1.edge.example");
    }

    @Test
    void clientWithoutCertificateIsRejected() throws Exception {
        CompletableFuture<String> accepted = acceptOne();
        SSLContext context = TlsContexts.sslContext(null,
                TlsContexts.trustManager(ca.rootCertificate(), Set::of, CLOCK), TestPki.RANDOM, implementation());

        exchangeExpectingFailure(context);

        assertServerRejected(accepted, noClientCertificateMessage());
    }

    @Test
    void clientOfOtherCaIsRejected() throws Exception {
        CompletableFuture<String> accepted = acceptOne();
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), CLOCK, "Test");
        TestPki.Holder stranger = TestPki.node(other, "n1");
        SSLContext context = TlsContexts.mutualTlsContext(stranger.keys().getPrivate(), stranger.chain(),
                ca.rootCertificate(), Set::of, CLOCK, TestPki.RANDOM, implementation());

        exchangeExpectingFailure(context);

        assertServerRejected(accepted, "does not validate to the Weft CA");
    }

    @Test
    void revokedClientIsRejected() throws Exception {
        TestPki.Holder node = TestPki.node(ca, "n1");
        revoked.add(node.certificate().getSerialNumber());
        CompletableFuture<String> accepted = acceptOne();

        exchangeExpectingFailure(clientContext(node));

        assertServerRejected(accepted, "Certificate serial 0x" + node.certificate().getSerialNumber().toString(16)
                + " ('CN=n1.edge.example') is revoked.");
    }

    @Test
    void serverWithWrongHostNameIsRejected() throws Exception {
        acceptOne();
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort());

        // Layering TLS over a connected socket names the peer without a DNS lookup.
        try (SSLSocket client = (SSLSocket) clientContext(TestPki.node(ca, "n1")).getSocketFactory()
                .createSocket(plain, "wrong.example", serverSocket.getLocalPort(), true)) {
            client.setSoTimeout(TIMEOUT_MILLIS);
            client.setSSLParameters(httpsParameters());

            assertThatThrownBy(client::startHandshake)
                    .satisfies(e -> assertThat(messages(e))
                            .contains("has no subject alternative name for the host 'wrong.example'"));
        }
    }

    @Test
    void firstContactAcceptsPinnedRoot() throws Exception {
        CompletableFuture<String> accepted = acceptOne();
        TestPki.Holder node = TestPki.node(ca, "n1");
        SSLContext context = TlsContexts.sslContext(TlsContexts.keyManager(node.keys().getPrivate(), node.chain()),
                TlsContexts.firstContactTrustManager(ca.rootFingerprint(), CLOCK), TestPki.RANDOM, implementation());

        try (SSLSocket client = connect(context, httpsParameters())) {
            assertThat(client.getInputStream().read()).isEqualTo(42);
        }

        assertThat(accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("CN=n1.edge.example");
    }

    @Test
    void firstContactRejectsOtherFingerprint() throws Exception {
        acceptOne();
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), CLOCK, "Test");
        SSLContext context = TlsContexts.sslContext(null,
                TlsContexts.firstContactTrustManager(other.rootFingerprint(), CLOCK), TestPki.RANDOM,
                implementation());

        try (SSLSocket client = connect(context, TlsContexts.clientParameters())) {
            assertThatThrownBy(client::startHandshake)
                    .satisfies(e -> assertThat(messages(e))
                            .contains("not in the Weft CA with the fingerprint " + other.rootFingerprint()));
        }
    }

    @Test
    void tls11ClientHelloIsRejected() throws Exception {
        CompletableFuture<String> accepted = acceptOne();

        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()),
                    TIMEOUT_MILLIS);
            client.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = client.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            byte[] alert = client.getInputStream().readNBytes(7);

            assertThat(alert[0]).as("record type alert").isEqualTo((byte) 21);
            assertThat(alert[5]).as("alert level fatal").isEqualTo((byte) 2);
            assertThat(alert[6]).as("alert protocol_version").isEqualTo((byte) 70);
        }
        assertServerRejected(accepted, oldProtocolMessage());
    }

    @Test
    void parametersAllowOnlyTls13And12() {
        assertThat(TlsContexts.serverParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsContexts.serverParameters().getNeedClientAuth()).isTrue();
        assertThat(TlsContexts.CIPHER_SUITES.get(0)).isEqualTo("TLS_AES_256_GCM_SHA384");
    }

    private SSLContext clientContext(TestPki.Holder node) {
        return TlsContexts.mutualTlsContext(node.keys().getPrivate(), node.chain(), ca.rootCertificate(),
                () -> revoked, CLOCK, TestPki.RANDOM, implementation());
    }

    private static SSLParameters httpsParameters() {
        SSLParameters parameters = TlsContexts.clientParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private SSLSocket connect(SSLContext context, SSLParameters parameters) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                serverSocket.getLocalPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Connects, and reads until the server's rejection arrives; TLS 1.3 clients learn of it only after their Finished. */
    private void exchangeExpectingFailure(SSLContext context) throws Exception {
        try (SSLSocket client = connect(context, TlsContexts.clientParameters())) {
            assertThatThrownBy(() -> {
                client.startHandshake();
                client.getInputStream().read();
            }).isInstanceOf(java.io.IOException.class);
        }
    }

    /** Accepts one connection, writes the byte 42 after the handshake and returns the client's subject. */
    private CompletableFuture<String> acceptOne() {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                String subject = socket.getSession().getPeerPrincipal().getName();
                OutputStream out = socket.getOutputStream();
                out.write(42);
                out.flush();
                InputStream in = socket.getInputStream();
                in.read();
                return subject;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void assertServerRejected(CompletableFuture<String> accepted, String reason) {
        assertThatThrownBy(() -> accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(messages(e)).contains(reason));
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(" | ");
        }
        return text.toString();
    }

    /**
     * A minimal TLS 1.1 ClientHello (RFC 4346): record version 3.1, client_version 3.2, two
     * ECDHE-ECDSA CBC suites, null compression and the elliptic curve extensions.
     */
    private static byte[] tls11ClientHello() {
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
        };
        byte[] suites = {(byte) 0xc0, 0x09, (byte) 0xc0, 0x0a};
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02);
        body.writeBytes(new byte[32]);
        body.write(0x00);
        body.write(0x00);
        body.write(suites.length);
        body.writeBytes(suites);
        body.write(0x01);
        body.write(0x00);
        body.write(0x00);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();

        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        int handshakeLength = hello.length + 4;
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
