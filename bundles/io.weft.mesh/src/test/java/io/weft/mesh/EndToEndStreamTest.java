package io.weft.mesh;

import static io.weft.mesh.ClearText.indexOf;
import static io.weft.mesh.ClearText.recognizablePayload;
import static io.weft.mesh.ClearText.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edges that talk through a gateway over real tunnels on 127.0.0.1, with an inner TLS
 * session end to end. The gateway here is a relay written for the test: it records every byte
 * it forwards and can flip one, as a compromised gateway would.
 */
class EndToEndStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DOMAIN = "east.acme.example";
    private static final String EDGE_A = "edge-a." + DOMAIN;
    private static final String EDGE_B = "edge-b." + DOMAIN;
    private static final String GATEWAY = "gw1." + DOMAIN;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path caDirectory;

    private static CertificateAuthority ca;
    private static Identity edgeA;
    private static Identity edgeB;
    private static Identity gateway;

    private final Set<BigInteger> revokedSerials = ConcurrentHashMap.newKeySet();
    private final List<MeshEndpoint> endpoints = new ArrayList<>();
    private final ExecutorService relayExecutor = Executors.newSingleThreadExecutor();
    private final InspectingRelay relay = new InspectingRelay(relayExecutor);

    private record Identity(KeyPair keys, List<X509Certificate> chain) {
    }

    @BeforeAll
    static void createCertificates() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        edgeA = issue("edge-a", "node-a");
        edgeB = issue("edge-b", "node-b");
        gateway = issue("gw1", "node-gw1");
    }

    @AfterEach
    void closeEndpoints() {
        Collections.reverse(endpoints);
        endpoints.forEach(MeshEndpoint::close);
        relayExecutor.shutdownNow();
    }

    @Test
    void relayedPayloadArrivesAndGatewaySeesOnlyCiphertext() throws Exception {
        Receiver receiver = new Receiver(context(edgeB), EDGE_A);
        MeshTunnel fromA = connectEdges(receiver);
        byte[] payload = recognizablePayload(256 * 1024);

        Sender sender = Sender.start(context(edgeA), fromA, EDGE_B, payload);

        assertThat(sender.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("sender's stream closed").isTrue();
        assertThat(receiver.received.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("bytes at edge B")
                .isEqualTo(payload);
        assertThat(sender.reply.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reply at edge A")
                .isEqualTo("ok".getBytes());
        byte[] forwarded = relay.forwardedToward(EDGE_B);
        assertThat(forwarded.length).as("bytes the gateway forwarded").isGreaterThan(payload.length);
        assertThat(indexOf(forwarded, slice(payload, 1000, 64))).as("a 64-byte piece of the payload in the relay")
                .isEqualTo(-1);
        assertThat(forwarded[0]).as("first byte the gateway forwarded: a TLS handshake record").isEqualTo((byte) 22);
        assertThat(sender.stream.isEstablished()).isTrue();
        assertThat(receiver.established).as("established action at edge B").isCompletedWithValue(true);
        assertThat(receiver.dataBeforeEstablished).as("data delivered before the established action").isFalse();
        assertThat(sender.stream.bytesSent()).isEqualTo(payload.length);
    }

    @Test
    void flippedByteInRelayResetsStream() throws Exception {
        Receiver receiver = new Receiver(context(edgeB), EDGE_A);
        MeshTunnel fromA = connectEdges(receiver);
        relay.flipByteAt(EDGE_B, 40_000);

        Sender sender = Sender.start(context(edgeA), fromA, EDGE_B, recognizablePayload(256 * 1024));

        assertFailsWith(sender.closed, "PROTOCOL_ERROR");
        assertFailsWith(receiver.received, "PROTOCOL_ERROR");
    }

    @Test
    void destinationWithAnotherNameIsRejected() throws Exception {
        Receiver receiver = new Receiver(context(edgeB), EDGE_A);
        MeshTunnel fromA = connectEdges(receiver);

        Sender sender = Sender.start(context(edgeA), fromA, EDGE_B, "edge-c." + DOMAIN, "hello".getBytes());

        assertFailsWith(sender.closed, "edge-c." + DOMAIN);
        assertFailsWith(receiver.received, "PROTOCOL_ERROR");
    }

    @Test
    void sourceWithAnotherNameIsRejected() throws Exception {
        Receiver receiver = new Receiver(context(edgeB), "edge-c." + DOMAIN);
        MeshTunnel fromA = connectEdges(receiver);

        Sender sender = Sender.start(context(edgeA), fromA, EDGE_B, "hello".getBytes());

        assertFailsWith(receiver.received, "edge-c." + DOMAIN);
        assertFailsWith(sender.closed, "PROTOCOL_ERROR");
        assertThat(receiver.established).as("established action for a source with another name").isNotDone();
    }

    @Test
    void revokedSourceIsRejected() throws Exception {
        Receiver receiver = new Receiver(context(edgeB), EDGE_A);
        MeshTunnel fromA = connectEdges(receiver);
        revokedSerials.add(edgeA.chain().get(0).getSerialNumber());

        Sender sender = Sender.start(context(edgeA), fromA, EDGE_B, "hello".getBytes());

        assertFailsWith(receiver.received, "PROTOCOL_ERROR");
        assertFailsWith(sender.closed, "PROTOCOL_ERROR");
    }

    /** Starts the gateway, dials it from both edges and returns edge A's tunnel. */
    private MeshTunnel connectEdges(Receiver receiver) throws Exception {
        MeshEndpoint gatewayEndpoint = endpoint("gateway", context(gateway), relay);
        InetSocketAddress address = gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));
        MeshTunnel fromA = endpoint("edge-a", context(edgeA), receiver).dial(address, GATEWAY)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        endpoint("edge-b", context(edgeB), receiver).dial(address, GATEWAY).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.knownTunnels() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(relay.knownTunnels()).as("tunnels known to the gateway's relay").isEqualTo(2);
        return fromA;
    }

    private MeshEndpoint endpoint(String name, SSLContext context, MeshListener listener) {
        MeshEndpoint endpoint = new MeshEndpoint(name, context, MeshSettings.defaults(), listener);
        endpoints.add(endpoint);
        return endpoint;
    }

    private SSLContext context(Identity identity) {
        return TlsContexts.mutualTlsContext(identity.keys().getPrivate(), identity.chain(), ca.rootCertificate(),
                () -> revokedSerials, Clock.systemUTC(), RANDOM);
    }

    private static Identity issue(String node, String nodeId) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, nodeId));
        return new Identity(keys, ca.chainFor(leaf));
    }

    private static void assertFailsWith(CompletableFuture<?> future, String text) {
        assertThatThrownBy(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("stream fails within %s", WAIT).isInstanceOf(ExecutionException.class)
                .hasMessageContaining(text);
    }

    /** Edge B: accepts the relayed stream end to end, collects the payload and replies "ok" after FIN. */
    private static final class Receiver implements MeshListener {
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final CompletableFuture<Boolean> established = new CompletableFuture<>();
        final AtomicBoolean dataBeforeEstablished = new AtomicBoolean();
        private final SSLContext context;
        private final String expectedSource;

        Receiver(SSLContext context, String expectedSource) {
            this.context = context;
            this.expectedSource = expectedSource;
        }

        @Override
        public MeshStreamHandler streamOpened(MeshStream stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            EndToEndStream inner = EndToEndStream.accept(context, stream, expectedSource, new MeshStreamHandler() {
                @Override
                public void onData(MeshStream s, ByteBuffer data) {
                    if (!established.isDone()) {
                        dataBeforeEstablished.set(true);
                    }
                    int length = data.remaining();
                    byte[] chunk = new byte[length];
                    data.get(chunk);
                    bytes.writeBytes(chunk);
                    s.consumed(length);
                }

                @Override
                public void onFin(MeshStream s) {
                    received.complete(bytes.toByteArray());
                    s.write(ByteBuffer.wrap("ok".getBytes()));
                    s.shutdownOutput();
                }

                @Override
                public void onReset(MeshStream s, ErrorCode code, String reason) {
                    received.completeExceptionally(new IOException("stream reset: " + code + " " + reason));
                }
            });
            inner.whenEstablished(() -> established.complete(true));
            return inner;
        }
    }

    /** Edge A: writes a payload end to end in 16 KiB chunks, then FIN, and collects the reply. */
    private static final class Sender implements MeshStreamHandler {
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();
        private final ByteBuffer remaining;
        private final ByteArrayOutputStream replyBytes = new ByteArrayOutputStream();
        private final AtomicBoolean failed = new AtomicBoolean();
        private EndToEndStream stream;
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();

        private Sender(byte[] payload) {
            this.remaining = ByteBuffer.wrap(payload);
        }

        static Sender start(SSLContext context, MeshTunnel tunnel, String destination, byte[] payload) {
            return start(context, tunnel, destination, destination, payload);
        }

        /** Starts a stream relayed to {@code destination} that expects the node {@code peerName} there. */
        static Sender start(SSLContext context, MeshTunnel tunnel, String destination, String peerName,
                byte[] payload) {
            Sender sender = new Sender(payload);
            synchronized (sender) {
                sender.stream = EndToEndStream.open(context, tunnel, "echo", Map.of("destination", destination),
                        peerName, sender);
                sender.writeSome();
            }
            return sender;
        }

        private synchronized void writeSome() {
            boolean writable = true;
            while (writable && remaining.hasRemaining() && !failed.get()) {
                ByteBuffer chunk = remaining.slice();
                chunk.limit(Math.min(chunk.remaining(), 16 * 1024));
                remaining.position(remaining.position() + chunk.remaining());
                writable = stream.write(chunk);
            }
            if (!remaining.hasRemaining() && !failed.get()) {
                stream.shutdownOutput();
            }
        }

        @Override
        public void onWritable(MeshStream s) {
            writeSome();
        }

        @Override
        public void onData(MeshStream s, ByteBuffer data) {
            int length = data.remaining();
            byte[] chunk = new byte[length];
            data.get(chunk);
            replyBytes.writeBytes(chunk);
            s.consumed(length);
        }

        @Override
        public void onFin(MeshStream s) {
            reply.complete(replyBytes.toByteArray());
        }

        @Override
        public void onReset(MeshStream s, ErrorCode code, String reason) {
            failed.set(true);
            closed.completeExceptionally(new IOException("stream reset: " + code + " " + reason));
        }

        @Override
        public void onClosed(MeshStream s) {
            closed.complete(true);
        }
    }
}
