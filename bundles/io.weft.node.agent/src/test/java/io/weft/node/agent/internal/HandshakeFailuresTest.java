package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import io.weft.pki.TlsContexts;
import io.weft.pki.TlsImplementation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeFailuresTest {

    private static final BigInteger SERIAL = new BigInteger("1f3a", 16);

    @TempDir
    Path caDirectory;

    /**
     * Runs a real handshake in memory against a server whose trust manager rejects the revoked
     * client, with each JSSE implementation on both sides.
     */
    @ParameterizedTest
    @EnumSource(TlsImplementation.class)
    void revokedClientFailureFromJsseRecognized(TlsImplementation implementation) throws Exception {
        TestPki pki = TestPki.create(caDirectory);
        NodeIdentity node = pki.nodeIdentity("127.0.0.1:8443");
        BigInteger serial = node.chain().get(0).getSerialNumber();
        TestPki.Holder server = pki.server();
        X509Certificate root = node.chain().get(node.chain().size() - 1);
        SSLContext clientTls = TlsContexts.mutualTlsContext(node.key(), node.chain(), root, Set::of, Clock.systemUTC(),
                TestPki.RANDOM, implementation);
        SSLContext serverTls = TlsContexts.mutualTlsContext(server.keys().getPrivate(), server.chain(), root,
                () -> Set.of(serial), Clock.systemUTC(), TestPki.RANDOM, implementation);

        SSLException clientFailure = clientFailureOfHandshake(clientTls, serverTls);

        assertThat(clientFailure).as("failure on the client side").isNotNull();
        assertThat(HandshakeFailures.describe(clientFailure, serial))
                .as("description of: %s", clientFailure.toString())
                .contains("rejected this node's certificate (serial " + serial.toString(16) + ")")
                .contains("TLS alert certificate_unknown");
    }

    @Test
    void certificateUnknownAlertNamesSerialAndFix() {
        Throwable failure = new CompletionException(
                new SSLHandshakeException("Received fatal alert: certificate_unknown"));

        String message = HandshakeFailures.describe(failure, SERIAL);

        assertThat(message).contains("rejected this node's certificate (serial 1f3a)");
        assertThat(message).contains("TLS alert certificate_unknown");
        assertThat(message).contains("weft:enroll");
    }

    @Test
    void alertAfterHandshakeRecognized() {
        String message = HandshakeFailures.describe(new SSLException("Received fatal alert: bad_certificate"), SERIAL);

        assertThat(message).contains("TLS alert bad_certificate");
    }

    @Test
    void revokedAlertRecognized() {
        String message = HandshakeFailures.describe(
                new SSLHandshakeException("Received fatal alert: certificate_revoked"), SERIAL);

        assertThat(message).contains("TLS alert certificate_revoked");
    }

    @Test
    void closeDuringHandshakeNamesSerial() {
        Throwable failure = new CompletionException(new IOException(
                "The control session with /127.0.0.1:8443 closed before its TLS handshake completed"));

        String message = HandshakeFailures.describe(failure, SERIAL);

        assertThat(message).contains("rejected this node's certificate (serial 1f3a)");
        assertThat(message).contains("by closing the connection");
    }

    @Test
    void otherFailureKeepsRootMessage() {
        Throwable failure = new CompletionException(new ConnectException("Connection refused"));

        assertThat(HandshakeFailures.describe(failure, SERIAL)).isEqualTo("Connection refused");
    }

    @Test
    void serverCertificateFailureNotBlamedOnNode() {
        Throwable failure = new SSLHandshakeException("PKIX path validation failed: signature check failed");

        assertThat(HandshakeFailures.describe(failure, SERIAL)).doesNotContain("rejected this node's certificate");
    }

    @Test
    void closedBeforeHelloAckNamesSerialAndFix() {
        String message = HandshakeFailures.closedBeforeHelloAck(SERIAL);

        assertThat(message).contains("serial 1f3a");
        assertThat(message).contains("weft:enroll");
    }

    /** Shuttles records between two engines until the client fails, and returns its failure or null. */
    private static SSLException clientFailureOfHandshake(SSLContext clientTls, SSLContext serverTls) throws Exception {
        SSLEngine client = clientTls.createSSLEngine("127.0.0.1", 8443);
        client.setUseClientMode(true);
        SSLEngine server = serverTls.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer sink = ByteBuffer.allocate(1 << 17);
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int round = 0; round < 200; round++) {
            try {
                client.wrap(empty, toServer);
                toClient.flip();
                client.unwrap(toClient, sink);
                toClient.compact();
                runTasks(client);
            } catch (SSLException e) {
                return e;
            }
            try {
                server.wrap(empty, toClient);
                toServer.flip();
                server.unwrap(toServer, sink);
                toServer.compact();
                runTasks(server);
            } catch (SSLException e) {
                // The server's rejection; its alert is in toClient unless the engine failed before writing it.
                server.wrap(empty, toClient);
            }
            sink.clear();
        }
        return null;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
