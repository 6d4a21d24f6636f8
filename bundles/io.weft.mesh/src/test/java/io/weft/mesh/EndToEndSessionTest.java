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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edges with one end-to-end session through a gateway over real tunnels on 127.0.0.1. The
 * gateway is the test's {@link InspectingRelay}, which records every byte it forwards and can
 * flip one. Edge B echoes every stream of the session, except streams to "slow", whose bytes
 * it never consumes.
 */
class EndToEndSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DOMAIN = "east.acme.example";
    private static final String EDGE_A = "edge-a." + DOMAIN;
    private static final String EDGE_B = "edge-b." + DOMAIN;
    private static final String GATEWAY = "gw1." + DOMAIN;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MeshSettings SETTINGS = MeshSettings.defaults();

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
    private final EdgeB edgeBListener = new EdgeB();

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
    void streamsShareSessionAndGatewaySeesOnlyCiphertext() throws Exception {
        EndToEndSession session = openSession(EDGE_B);
        byte[] payload = recognizablePayload(64 * 1024);
        List<Exchange> exchanges = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            exchanges.add(Exchange.start(session.tunnel(), "echo", payload));
        }

        for (int i = 0; i < exchanges.size(); i++) {
            assertThat(exchanges.get(i).echo.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("echo of stream %d", i)
                    .isEqualTo(payload);
        }
        assertThat(relay.relayedStreams()).as("streams that the gateway relayed for 10 streams").isEqualTo(1);
        byte[] forwarded = relay.forwardedToward(EDGE_B);
        assertThat(forwarded.length).as("bytes the gateway forwarded").isGreaterThan(10 * payload.length);
        assertThat(indexOf(forwarded, slice(payload, 1000, 64))).as("a 64-byte piece of the payload in the relay")
                .isEqualTo(-1);
        assertThat(indexOf(forwarded, "service:".getBytes())).as("a stream target in the relay").isEqualTo(-1);
        assertThat(forwarded[0]).as("first byte the gateway forwarded: a TLS handshake record").isEqualTo((byte) 22);
        assertThat(session.isEstablished()).isTrue();
    }

    @Test
    void peerIsProvenBeforeStreamsArrive() throws Exception {
        EndToEndSession session = openSession(EDGE_B);

        Exchange exchange = Exchange.start(session.tunnel(), "echo", "hello".getBytes());

        assertThat(exchange.echo.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello".getBytes());
        MeshPeer sourceAtB = edgeBListener.streams.get(0).tunnel().peer();
        assertThat(sourceAtB.fullName()).as("source of the stream at edge B").isEqualTo(EDGE_A);
        assertThat(sourceAtB.certificate()).as("certificate of the source at edge B").isEqualTo(edgeA.chain().get(0));
        assertThat(session.tunnel().peer().certificate()).as("certificate of the destination at edge A")
                .isEqualTo(edgeB.chain().get(0));
        assertThat(edgeBListener.tunnelsOpened).as("session tunnels reported at edge B").hasSize(1);
    }

    @Test
    void slowStreamDoesNotStallOthers() throws Exception {
        EndToEndSession session = openSession(EDGE_B);
        byte[] payload = recognizablePayload(1024 * 1024);

        Exchange slow = Exchange.start(session.tunnel(), "slow", payload);
        await(() -> slow.stream.bytesSent() == SETTINGS.receiveWindowBytes(), "the slow stream to fill its window");
        Exchange fast = Exchange.start(session.tunnel(), "echo", payload);

        assertThat(fast.echo.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("echo of the stream next to a slow one")
                .isEqualTo(payload);
        assertThat(slow.stream.bytesSent()).as("bytes sent on the stream whose reader consumes nothing")
                .isEqualTo(SETTINGS.receiveWindowBytes());
        assertThat(slow.echo).as("slow stream").isNotDone();
    }

    @Test
    void flippedByteClosesWholeSession() throws Exception {
        EndToEndSession session = openSession(EDGE_B);
        relay.flipByteAt(EDGE_B, 20_000);

        Exchange first = Exchange.start(session.tunnel(), "echo", recognizablePayload(128 * 1024));
        Exchange second = Exchange.start(session.tunnel(), "echo", recognizablePayload(128 * 1024));

        assertFailsWith(first.echo, "TUNNEL_CLOSED");
        assertFailsWith(second.echo, "TUNNEL_CLOSED");
        await(() -> !session.tunnel().isOpen(), "edge A's session to close");
    }

    @Test
    void destinationWithAnotherNameIsRejected() throws Exception {
        EndToEndSession session = openSession("edge-c." + DOMAIN);

        Exchange exchange = Exchange.start(session.tunnel(), "echo", "hello".getBytes());

        assertFailsWith(exchange.echo, "edge-c." + DOMAIN);
        assertThat(edgeBListener.streams).as("streams at edge B").isEmpty();
        await(() -> !session.tunnel().isOpen(), "edge A's session to close");
    }

    @Test
    void revokedSourceIsRejected() throws Exception {
        EndToEndSession session = openSession(EDGE_B);
        revokedSerials.add(edgeA.chain().get(0).getSerialNumber());

        Exchange exchange = Exchange.start(session.tunnel(), "echo", "hello".getBytes());

        assertFailsWith(exchange.echo, "TUNNEL_CLOSED");
        assertThat(edgeBListener.streams).as("streams at edge B from a revoked source").isEmpty();
        assertThat(edgeBListener.tunnelsOpened).as("sessions reported at edge B").isEmpty();
    }

    @Test
    void closeResetsStreamsAtBothEnds() throws Exception {
        EndToEndSession session = openSession(EDGE_B);
        Exchange exchange = Exchange.start(session.tunnel(), "slow", "hello".getBytes());
        await(() -> edgeBListener.sessions.size() == 1 && edgeBListener.streams.size() == 1,
                "the stream to arrive at edge B");

        edgeBListener.sessions.get(0).close(ErrorCode.NOT_ALLOWED, "the certificate of node 'edge-a' is revoked");

        assertFailsWith(exchange.echo, "TUNNEL_CLOSED");
        await(() -> !session.tunnel().isOpen(), "edge A's session to close");
        assertThat(session.tunnel().peerGoAwayCode()).as("GOAWAY code at edge A").hasValue(ErrorCode.NOT_ALLOWED);
    }

    @Test
    void stalledHandshakeClosesAfterTimeout() throws Exception {
        // A gateway that accepts the carrier and never forwards its bytes.
        MeshListener blackHole = stream -> new MeshStreamHandler() {
            @Override
            public void onData(MeshStream s, ByteBuffer data) {
                s.consumed(data.remaining());
            }
        };
        MeshEndpoint gatewayEndpoint = endpoint("gateway", context(gateway), blackHole);
        InetSocketAddress address = gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));
        MeshListener rejectAll = stream -> null;
        MeshTunnel fromA = endpoint("edge-a", context(edgeA), rejectAll).dial(address, GATEWAY)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        AtomicLong clock = new AtomicLong();
        MeshSettings settings = SETTINGS.withHandshakeTimeout(Duration.ofSeconds(10));
        EndToEndSession session = EndToEndSession.open(context(edgeA), fromA, Map.of("destination", EDGE_B), EDGE_B,
                settings, rejectAll, clock::get);
        Exchange exchange = Exchange.start(session.tunnel(), "echo", "hello".getBytes());

        clock.set(Duration.ofSeconds(9).toNanos());
        session.tick();
        boolean openBeforeTimeout = session.tunnel().isOpen();
        clock.set(Duration.ofSeconds(10).toNanos());
        session.tick();

        assertThat(openBeforeTimeout).as("session open 9 s into its handshake").isTrue();
        assertThat(session.tunnel().isOpen()).as("session open 10 s into its handshake").isFalse();
        assertFailsWith(exchange.echo, "did not complete within 10000 ms");
    }

    @Test
    void idleStreamTimesOutInsideSession() throws Exception {
        MeshSettings shortIdle = SETTINGS.withStreamIdleTimeout(Duration.ofMillis(100));
        EndToEndSession session = openSession(EDGE_B, shortIdle);
        Exchange exchange = Exchange.start(session.tunnel(), "slow", "hello".getBytes());
        await(() -> edgeBListener.streams.size() == 1, "the stream to arrive at edge B");

        Thread.sleep(200);
        session.tick();

        assertFailsWith(exchange.echo, "IDLE_TIMEOUT");
        await(() -> edgeBListener.sessions.get(0).tunnel().streamCount() == 0, "edge B to drop the timed-out stream");
        assertThat(session.tunnel().isOpen()).as("session after its stream timed out").isTrue();
    }

    @Test
    void halfCloseLetsPeerReplyAfterFin() throws Exception {
        EndToEndSession session = openSession(EDGE_B);

        Exchange exchange = Exchange.start(session.tunnel(), "echo", new byte[0]);

        assertThat(exchange.echo.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("echo of an empty stream").isEmpty();
        await(() -> session.tunnel().streamCount() == 0, "the stream to end after both FINs");
        assertThat(session.tunnel().isOpen()).as("session after its only stream ended").isTrue();
    }

    /** Starts the gateway, dials it from both edges and opens a session from edge A expecting {@code peerName}. */
    private EndToEndSession openSession(String peerName) throws Exception {
        return openSession(peerName, SETTINGS);
    }

    private EndToEndSession openSession(String peerName, MeshSettings sessionSettings) throws Exception {
        MeshEndpoint gatewayEndpoint = endpoint("gateway", context(gateway), relay);
        InetSocketAddress address = gatewayEndpoint.listen(new InetSocketAddress("127.0.0.1", 0));
        MeshListener rejectAll = stream -> null;
        MeshTunnel fromA = endpoint("edge-a", context(edgeA), rejectAll).dial(address, GATEWAY)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        endpoint("edge-b", context(edgeB), edgeBListener).dial(address, GATEWAY)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(() -> relay.knownTunnels() == 2, "both tunnels at the gateway's relay");
        return EndToEndSession.open(context(edgeA), fromA, Map.of("destination", EDGE_B), peerName, sessionSettings,
                rejectAll);
    }

    private MeshEndpoint endpoint(String name, SSLContext context, MeshListener listener) {
        MeshEndpoint endpoint = new MeshEndpoint(name, context, SETTINGS, listener);
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

    /** Polls {@code condition} every 10 ms for at most {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting %s for %s", WAIT, description).isNegative();
            Thread.sleep(10);
        }
    }

    /** Edge B: accepts each carrier as an end-to-end session from edge A and serves the session's streams. */
    private final class EdgeB implements MeshListener {
        final List<EndToEndSession> sessions = new CopyOnWriteArrayList<>();
        final List<MeshStream> streams = new CopyOnWriteArrayList<>();
        final List<MeshTunnel> tunnelsOpened = new CopyOnWriteArrayList<>();
        private final MeshListener sessionListener = new MeshListener() {
            @Override
            public void tunnelOpened(MeshTunnel tunnel) {
                tunnelsOpened.add(tunnel);
            }

            @Override
            public MeshStreamHandler streamOpened(MeshStream stream) {
                streams.add(stream);
                return stream.target().equals("slow") ? (s, data) -> { } : new Echo();
            }
        };

        @Override
        public MeshStreamHandler streamOpened(MeshStream carrier) {
            assertThat(carrier.target()).as("target of the carrier").isEqualTo(EndToEndSession.TARGET);
            EndToEndSession session = EndToEndSession.accept(context(edgeB), carrier, EDGE_A, SETTINGS,
                    sessionListener);
            sessions.add(session);
            return session.carrierHandler();
        }
    }

    /** Writes back what arrives, reports it consumed once written, and finishes after the peer's FIN. */
    private static final class Echo implements MeshStreamHandler {
        @Override
        public void onData(MeshStream stream, ByteBuffer data) {
            int length = data.remaining();
            stream.write(data);
            stream.consumed(length);
        }

        @Override
        public void onFin(MeshStream stream) {
            stream.shutdownOutput();
        }
    }

    /** Edge A: writes a payload on a new stream in 16 KiB chunks, then FIN, and collects what comes back. */
    private static final class Exchange implements MeshStreamHandler {
        final CompletableFuture<byte[]> echo = new CompletableFuture<>();
        private final ByteBuffer remaining;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private MeshStream stream;

        private Exchange(byte[] payload) {
            this.remaining = ByteBuffer.wrap(payload);
        }

        static Exchange start(MeshTunnel tunnel, String target, byte[] payload) {
            Exchange exchange = new Exchange(payload);
            synchronized (exchange) {
                exchange.stream = tunnel.openStream(target, Map.of(), exchange);
                exchange.writeSome();
            }
            return exchange;
        }

        private synchronized void writeSome() {
            boolean writable = true;
            while (writable && remaining.hasRemaining() && !echo.isDone()) {
                ByteBuffer chunk = remaining.slice();
                chunk.limit(Math.min(chunk.remaining(), 16 * 1024));
                remaining.position(remaining.position() + chunk.remaining());
                writable = stream.write(chunk);
            }
            if (!remaining.hasRemaining() && !echo.isDone()) {
                stream.shutdownOutput();
            }
        }

        @Override
        public void onWritable(MeshStream s) {
            writeSome();
        }

        @Override
        public synchronized void onData(MeshStream s, ByteBuffer data) {
            int length = data.remaining();
            byte[] chunk = new byte[length];
            data.get(chunk);
            received.writeBytes(chunk);
            s.consumed(length);
        }

        @Override
        public synchronized void onFin(MeshStream s) {
            echo.complete(received.toByteArray());
        }

        @Override
        public void onReset(MeshStream s, ErrorCode code, String reason) {
            echo.completeExceptionally(new IOException("stream reset: " + code + " " + reason));
        }
    }
}
