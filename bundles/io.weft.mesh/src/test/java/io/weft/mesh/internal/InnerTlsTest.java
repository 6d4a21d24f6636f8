package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@link InnerTls} ends in memory, with certificates from a Weft CA made for the test. */
class InnerTlsTest {

    private static final String DOMAIN = "east.acme.example";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path caDirectory;

    private static SSLContext clientContext;
    private static SSLContext serverContext;

    @BeforeAll
    static void createContexts() throws IOException {
        CertificateAuthority ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        clientContext = context(ca, "edge-a");
        serverContext = context(ca, "edge-b");
    }

    @Test
    void handshakeNegotiatesAes128() throws SSLException {
        InnerTls client = InnerTls.client(clientContext, "edge-b." + DOMAIN);
        InnerTls server = InnerTls.server(serverContext);

        handshake(client, server);

        assertThat(client.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(server.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void drainedInboundBufferIsReleased() throws SSLException {
        InnerTls client = InnerTls.client(clientContext, "edge-b." + DOMAIN);
        InnerTls server = InnerTls.server(serverContext);
        handshake(client, server);

        List<ByteBuffer> records = wrap(client, "hello through the relay");
        List<InnerTls.Record> received = server.unwrap(records.get(0), reply -> { }).records();

        assertThat(records).as("records of one short message").hasSize(1);
        assertThat(text(received)).isEqualTo("hello through the relay");
        assertThat(server.inboundCapacity()).as("inbound buffer capacity after a whole record").isZero();
    }

    @Test
    void largeWriteBecomesOneBuffer() throws SSLException {
        InnerTls client = InnerTls.client(clientContext, "edge-b." + DOMAIN);
        InnerTls server = InnerTls.server(serverContext);
        handshake(client, server);
        byte[] frame = new byte[64 * 1024 + 9];
        RANDOM.nextBytes(frame);

        List<ByteBuffer> written = new ArrayList<>();
        client.wrap(ByteBuffer.wrap(frame), written::add);
        List<InnerTls.Record> received = server.unwrap(written.get(0), reply -> { }).records();

        assertThat(written).as("buffers passed on for one write of %d bytes", frame.length).hasSize(1);
        assertThat(received).as("records in that buffer").hasSize(5);
        ByteBuffer plaintext = ByteBuffer.allocate(frame.length);
        received.forEach(record -> plaintext.put(record.plaintext()));
        assertThat(plaintext.array()).isEqualTo(frame);
    }

    @Test
    void partsAreEncryptedInOrder() throws SSLException {
        InnerTls client = InnerTls.client(clientContext, "edge-b." + DOMAIN);
        InnerTls server = InnerTls.server(serverContext);
        handshake(client, server);
        ByteBuffer header = ByteBuffer.wrap("header:".getBytes(StandardCharsets.UTF_8));
        ByteBuffer payload = ByteBuffer.wrap("payload".getBytes(StandardCharsets.UTF_8));

        List<ByteBuffer> written = new ArrayList<>();
        client.wrap(new ByteBuffer[] {header, payload}, written::add);

        assertThat(written).as("buffers passed on for one write of two parts").hasSize(1);
        assertThat(text(server.unwrap(written.get(0), reply -> { }).records())).isEqualTo("header:payload");
        assertThat(header.hasRemaining() || payload.hasRemaining()).as("bytes of the parts left unread").isFalse();
    }

    @Test
    void partialRecordIsKeptUntilComplete() throws SSLException {
        InnerTls client = InnerTls.client(clientContext, "edge-b." + DOMAIN);
        InnerTls server = InnerTls.server(serverContext);
        handshake(client, server);
        ByteBuffer record = wrap(client, "split across two outer frames").get(0);
        ByteBuffer firstHalf = record.duplicate().limit(record.remaining() / 2);
        ByteBuffer secondHalf = record.duplicate().position(record.remaining() / 2);

        List<InnerTls.Record> fromFirstHalf = server.unwrap(firstHalf, reply -> { }).records();
        int capacityWhilePartial = server.inboundCapacity();
        List<InnerTls.Record> fromSecondHalf = server.unwrap(secondHalf, reply -> { }).records();

        assertThat(fromFirstHalf).as("records from the first half").isEmpty();
        assertThat(capacityWhilePartial).as("inbound buffer capacity with half a record").isPositive();
        assertThat(text(fromSecondHalf)).isEqualTo("split across two outer frames");
        assertThat(server.inboundCapacity()).as("inbound buffer capacity after the record completed").isZero();
    }

    /** Passes handshake records between the two ends until neither has anything to send. */
    private static void handshake(InnerTls client, InnerTls server) throws SSLException {
        List<ByteBuffer> toServer = new ArrayList<>();
        List<ByteBuffer> toClient = new ArrayList<>();
        client.begin(toServer::add);
        server.begin(toClient::add);
        for (int step = 0; step < 10 && !(toServer.isEmpty() && toClient.isEmpty()); step++) {
            for (ByteBuffer record : List.copyOf(toServer)) {
                toServer.remove(record);
                server.unwrap(record, toClient::add);
            }
            for (ByteBuffer record : List.copyOf(toClient)) {
                toClient.remove(record);
                client.unwrap(record, toServer::add);
            }
        }
        assertThat(client.isHandshakeComplete()).as("client handshake complete").isTrue();
        assertThat(server.isHandshakeComplete()).as("server handshake complete").isTrue();
    }

    private static List<ByteBuffer> wrap(InnerTls side, String text) throws SSLException {
        List<ByteBuffer> records = new ArrayList<>();
        side.wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), records::add);
        return records;
    }

    private static String text(List<InnerTls.Record> records) {
        StringBuilder text = new StringBuilder();
        for (InnerTls.Record record : records) {
            text.append(StandardCharsets.UTF_8.decode(record.plaintext()));
        }
        return text.toString();
    }

    private static SSLContext context(CertificateAuthority ca, String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, "node-" + node));
        return TlsContexts.mutualTlsContext(keys.getPrivate(), ca.chainFor(leaf), ca.rootCertificate(), Set::of,
                Clock.systemUTC(), RANDOM);
    }
}
