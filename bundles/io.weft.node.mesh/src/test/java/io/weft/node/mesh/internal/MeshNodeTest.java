package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.control.FlowRecord;
import io.weft.mesh.EndToEndSession;
import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshEndpoint;
import io.weft.mesh.MeshSettings;
import io.weft.mesh.MeshStream;
import io.weft.mesh.MeshStreamHandler;
import io.weft.pki.TlsContexts;
import io.weft.mesh.MeshTunnel;
import io.weft.fleet.Tag;
import io.weft.node.agent.api.AppliedState;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.Identity;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three mesh nodes on 127.0.0.1 (edge A → gateway ← edge B) with a connector on A, a TCP
 * echo service on B and certificates from a Weft CA made for the test.
 */
class MeshNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Tag of the tests whose edges ask the gateway for relayed tunnels. */
    private static final String RELAYED_TUNNELS = "relayed-tunnels";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "east.acme.example";
    private static final String GATEWAY = "gw1." + DOMAIN;
    private static final String EDGE_A = "edge-a." + DOMAIN;
    private static final String EDGE_B = "edge-b." + DOMAIN;
    private static final String ALLOW_A_TO_ECHO = """
            {"rules": [{"id": "allow-echo", "domain": "east.acme.example",
              "source": "node:edge-a.east.acme.example",
              "destination": {"service": "echo", "nodes": "node:edge-b.east.acme.example"},
              "action": "allow"}]}""";

    /** A domain-level allow and a deny of the tag quarantine, which only the destination edge B applies. */
    private static final String ALLOW_DOMAIN_DENY_QUARANTINE = """
            {"rules": [
              {"id": "allow-east", "domain": "east.acme.example", "source": "domain:east.acme.example",
               "destination": {"service": "echo"}, "action": "allow"},
              {"id": "deny-quarantine", "domain": "east.acme.example", "source": "tag:quarantine",
               "destination": {"service": "echo"}, "action": "deny"}]}""";

    @TempDir
    static Path caDirectory;

    private static CertificateAuthority ca;
    private static Identity gatewayIdentity;
    private static Identity edgeAIdentity;
    private static Identity edgeBIdentity;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, ExposedService> servicesOfB = new ConcurrentHashMap<>();
    private final Map<String, List<FlowEvent>> flowEvents = new ConcurrentHashMap<>();
    private TcpReactor reactor;
    private EchoServer echo;
    private MeshNode gateway;
    private MeshNode edgeA;
    private MeshNode edgeB;
    private Connector connector;
    /** True for the tests tagged {@link #RELAYED_TUNNELS}; the others keep relayed streams in end-to-end sessions. */
    private boolean relayedTunnels;

    @BeforeAll
    static void createCertificates() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        gatewayIdentity = issue("gw1", "node-gw1");
        edgeAIdentity = issue("edge-a", "node-a");
        edgeBIdentity = issue("edge-b", "node-b");
    }

    @BeforeEach
    void startNodes(TestInfo test) throws IOException, InterruptedException {
        relayedTunnels = test.getTags().contains(RELAYED_TUNNELS);
        reactor = track(new TcpReactor("test"));
        echo = track(new EchoServer());
        servicesOfB.put("echo", new ExposedService("echo", "127.0.0.1", echo.port()));
        AppliedState allow = new AppliedState(1, Set.of(), ALLOW_A_TO_ECHO);

        gateway = start(gatewayIdentity, Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                List.of(), allow, name -> null);
        GatewayAddress gatewayAddress = GatewayAddress.parse(GATEWAY + "@127.0.0.1:"
                + gateway.listenerAddress().orElseThrow().getPort());
        edgeB = start(edgeBIdentity, Optional.empty(), List.of(gatewayAddress), allow, servicesOfB::get);
        edgeA = start(edgeAIdentity, Optional.empty(), List.of(gatewayAddress), allow, name -> null);
        connector = track(new Connector(new Connector.Spec("echo-b", new InetSocketAddress("127.0.0.1", 0), "echo",
                EDGE_B, echo.port()), reactor, () -> Optional.of(edgeA)));
        connector.start();

        await(() -> gateway.tunnels().size() == 2 && edgeA.tunnels().size() == 1 && edgeB.tunnels().size() == 1,
                "the tunnels of both edges to the gateway");
    }

    @AfterEach
    void stop() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("Closing " + resources.get(i) + " failed: " + e);
            }
        }
    }

    @Test
    void relayedTransferKeepsEveryByte() throws Exception {
        byte[] payload = new byte[16 * 1024 * 1024];
        RANDOM.nextBytes(payload);

        byte[] echoed = exchange(payload);

        assertThat(echoed.length).as("bytes echoed").isEqualTo(payload.length);
        assertThat(sha256(echoed)).as("SHA-256 of the echoed bytes").isEqualTo(sha256(payload));
        await(() -> edgeA.streamCount() == 0 && edgeB.streamCount() == 0,
                "every stream to end after both half-closes");
        assertThat(gateway.streamCount()).as("streams at the gateway: the carrier of the idle end-to-end session")
                .isEqualTo(1);
        for (String node : List.of(EDGE_A, EDGE_B)) {
            List<FlowEvent> events = flowEvents.get(node);
            assertThat(events).as("flow events of %s", node).extracting(FlowEvent::event)
                    .containsExactly(FlowRecord.Event.OPENED, FlowRecord.Event.CLOSED);
            FlowEvent closed = events.get(1);
            assertThat(closed.end()).isEqualTo(node.equals(EDGE_A) ? FlowRecord.End.SOURCE : FlowRecord.End.DESTINATION);
            assertThat(closed.source()).isEqualTo(EDGE_A);
            assertThat(closed.destination()).isEqualTo(EDGE_B);
            assertThat(closed.service()).isEqualTo("echo");
            assertThat(closed.rule()).isEqualTo("allow-echo");
            assertThat(closed.bytesToDestination()).as("bytes to the destination at %s", node).isEqualTo(payload.length);
            assertThat(closed.bytesToSource()).as("bytes to the source at %s", node).isEqualTo(payload.length);
        }
        assertThat(flowEvents.get(GATEWAY)).as("flow events of the relaying gateway").isEmpty();
    }

    @Test
    void serverFirstBannerKeepsTheConnection() throws Exception {
        // A service that writes the moment it accepts, as SSH and SMTP servers do: its bytes can
        // reach the source's bridge before the call that opened the stream has returned.
        EchoServer banner = track(new EchoServer("ready\n".getBytes(StandardCharsets.US_ASCII)));
        servicesOfB.put("echo", new ExposedService("echo", "127.0.0.1", banner.port()));
        List<CompletableFuture<String>> clients = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            int client = i;
            clients.add(CompletableFuture.supplyAsync(() -> bannerThenEcho(client)));
            if (clients.size() % 20 == 0) {
                CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
            }
        }

        for (int i = 0; i < clients.size(); i++) {
            assertThat(clients.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("client %d", i)
                    .isEqualTo("ready\n" + i);
        }
        await(() -> edgeA.streamCount() == 0 && edgeB.streamCount() == 0, "every stream to end");
    }

    /** Reads the banner, sends the client's number, and returns the banner and its echo. */
    private String bannerThenEcho(int client) {
        try (Socket socket = connectToConnector()) {
            byte[] greeting = socket.getInputStream().readNBytes(6);
            byte[] number = String.valueOf(client).getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(number);
            socket.shutdownOutput();
            return new String(greeting, StandardCharsets.US_ASCII)
                    + new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    @Test
    void relayedStreamRunsInEndToEndSession() throws Exception {
        try (Socket socket = connectToConnector()) {
            socket.getOutputStream().write("ping".getBytes());

            assertThat(socket.getInputStream().readNBytes(4)).as("echo").isEqualTo("ping".getBytes());
            MeshTunnel atA = edgeA.bridgedStreams().get(0).tunnel();
            MeshTunnel atB = edgeB.bridgedStreams().get(0).tunnel();
            assertThat(atA.peer().fullName()).as("peer of the stream's tunnel at edge A").isEqualTo(EDGE_B);
            assertThat(atA.peer().certificate()).as("certificate that edge B proved to edge A")
                    .isEqualTo(edgeBIdentity.certificate());
            assertThat(atB.peer().fullName()).as("peer of the stream's tunnel at edge B").isEqualTo(EDGE_A);
            assertThat(atB.peer().certificate()).as("certificate that edge A proved to edge B")
                    .isEqualTo(edgeAIdentity.certificate());
            assertThat(edgeA.tunnels()).as("edge A's tunnels of connections, to the gateway only").doesNotContain(atA);
        }
    }

    @Test
    void relayedStreamsOfOnePairShareOneSession() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket socket = connectToConnector();
                sockets.add(socket);
                socket.getOutputStream().write(i);
                assertThat(socket.getInputStream().read()).as("echo on connection %d", i).isEqualTo(i);
            }

            assertThat(gateway.streamCount()).as("streams that the gateway relays for 8 connections").isEqualTo(1);
            assertThat(edgeA.bridgedStreams()).as("streams of the 8 connections at edge A").hasSize(8)
                    .extracting(stream -> stream.tunnel()).containsOnly(edgeA.bridgedStreams().get(0).tunnel());
            assertThat(edgeB.bridgedStreams()).as("streams of the 8 connections at edge B").hasSize(8)
                    .extracting(stream -> stream.tunnel()).containsOnly(edgeB.bridgedStreams().get(0).tunnel());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void sessionStreamsGetDestinationChecks() throws Exception {
        MeshEndpoint endpointOfA = track(new MeshEndpoint("edge-a-2", tlsContext(edgeAIdentity),
                MeshSettings.defaults(), stream -> null));
        MeshTunnel toGateway = endpointOfA.dial(gateway.listenerAddress().orElseThrow(), GATEWAY)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        EndToEndSession session = EndToEndSession.open(tlsContext(edgeAIdentity), toGateway,
                Map.of(MeshNode.SOURCE, EDGE_A, MeshNode.DESTINATION, EDGE_B), EDGE_B, MeshSettings.defaults(),
                stream -> null);

        CompletableFuture<String> otherSource = openAndAwaitReset(session, "service:echo", "edge-c." + DOMAIN);
        CompletableFuture<String> unknownService = openAndAwaitReset(session, "service:nothing", EDGE_A);
        edgeB.applyState(new AppliedState(2, Set.of(), "{}"));
        CompletableFuture<String> denied = openAndAwaitReset(session, "service:echo", EDGE_A);

        assertThat(otherSource.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reset of a stream claiming another source")
                .startsWith("NOT_ALLOWED").contains("edge-c." + DOMAIN);
        assertThat(unknownService.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reset of a stream to an unknown service")
                .startsWith("UNKNOWN_TARGET");
        assertThat(denied.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reset of a stream that policy denies")
                .startsWith("NOT_ALLOWED");
        assertThat(flowEvents.get(EDGE_B)).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(FlowRecord.Event.DENIED);
            assertThat(event.source()).as("source of the denied flow, as the session proved it").isEqualTo(EDGE_A);
        });
    }

    @Test
    void destinationDeniesWithoutRule() throws Exception {
        edgeB.applyState(new AppliedState(2, Set.of(), "{}"));

        assertThat(exchangeOrFailure("hello".getBytes())).as("connection through a denying destination")
                .isEqualTo("closed without data");
    }

    @Test
    void sourceDeniesWithoutRule() throws Exception {
        edgeA.applyState(new AppliedState(2, Set.of(), "{}"));

        assertThat(exchangeOrFailure("hello".getBytes())).as("connection from a denying source")
                .isEqualTo("closed without data");
        assertThat(flowEvents.get(EDGE_A)).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(FlowRecord.Event.DENIED);
            assertThat(event.rule()).as("rule of a default denial").isNull();
            assertThat(event.service()).isEqualTo("echo");
        });
    }

    @Test
    void destinationDeniesTaggedSource() throws Exception {
        NodeSubject quarantined = NodeSubject.edge(EDGE_A).withTags(Set.of(Tag.of("quarantine")));
        edgeB.applyState(new AppliedState(2, Set.of(), ALLOW_DOMAIN_DENY_QUARANTINE, List.of(),
                PeerDirectory.of(List.of(quarantined, NodeSubject.edge(EDGE_B)))));

        assertThat(exchangeOrFailure("hello".getBytes())).as("connection from a source with the denied tag")
                .isEqualTo("closed without data");
        assertThat(flowEvents.get(EDGE_B)).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(FlowRecord.Event.DENIED);
            assertThat(event.rule()).isEqualTo("deny-quarantine");
        });
    }

    @Test
    void destinationAllowsUntaggedSource() throws Exception {
        edgeB.applyState(new AppliedState(2, Set.of(), ALLOW_DOMAIN_DENY_QUARANTINE, List.of(),
                PeerDirectory.of(List.of(NodeSubject.edge(EDGE_B)))));

        try (Socket socket = connectToConnector()) {
            socket.getOutputStream().write("hello".getBytes());

            assertThat(socket.getInputStream().readNBytes(5)).as("echo from a source without the denied tag")
                    .isEqualTo("hello".getBytes());
        }
    }

    @Test
    void policyChangeResetsOpenStream() throws Exception {
        try (Socket socket = connectToConnector()) {
            socket.getOutputStream().write("ping".getBytes());
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());

            long start = System.nanoTime();
            edgeB.applyState(new AppliedState(2, Set.of(), "{}"));

            assertThat(readUntilClosed(socket)).as("bytes after the policy change").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void revocationResetsRelayedStream() throws Exception {
        BigInteger serialOfA = edgeAIdentity.certificate().getSerialNumber();
        try (Socket socket = connectToConnector()) {
            socket.getOutputStream().write("ping".getBytes());
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());

            long start = System.nanoTime();
            edgeB.applyState(new AppliedState(2, Set.of(serialOfA), ALLOW_A_TO_ECHO));

            assertThat(readUntilClosed(socket)).as("bytes after eb's state revoked ea").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(edgeB.tunnels()).as("eb's tunnels, which lead only to the gateway").hasSize(1);
        assertThat(flowEvents.get(EDGE_B)).extracting(FlowEvent::event)
                .containsExactly(FlowRecord.Event.OPENED, FlowRecord.Event.DENIED);
        await(() -> edgeB.endToEndSessions().isEmpty() && edgeA.endToEndSessions().isEmpty(),
                "both ends to close the end-to-end session of the revoked edge");
    }

    @Test
    void revocationClosesTunnel() throws Exception {
        BigInteger serialOfA = edgeAIdentity.certificate().getSerialNumber();
        long start = System.nanoTime();

        gateway.applyState(new AppliedState(2, Set.of(serialOfA), ALLOW_A_TO_ECHO));

        await(() -> gateway.tunnels().stream().noneMatch(tunnel -> tunnel.peer().fullName().equals(EDGE_A)),
                "the gateway to close the tunnel of the revoked edge");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(gateway.tunnels()).extracting(tunnel -> tunnel.peer().fullName()).containsExactly(EDGE_B);
    }

    @Test
    @org.junit.jupiter.api.Tag(RELAYED_TUNNELS)
    void laterStreamsTakeTheRelayedTunnel() throws Exception {
        try (Socket first = connectToConnector()) {
            first.getOutputStream().write("ping".getBytes());
            assertThat(first.getInputStream().readNBytes(4)).as("echo through the end-to-end session")
                    .isEqualTo("ping".getBytes());
            await(() -> relayedTunnel(edgeA).isPresent() && relayedTunnel(edgeB).isPresent(),
                    "the relayed tunnel between the two edges");

            byte[] payload = new byte[4 * 1024 * 1024];
            RANDOM.nextBytes(payload);
            byte[] echoed = exchange(payload);

            assertThat(sha256(echoed)).as("SHA-256 of the bytes echoed through the relayed tunnel")
                    .isEqualTo(sha256(payload));
        }
        MeshTunnel atA = relayedTunnel(edgeA).orElseThrow();
        assertThat(atA.isDialer()).isTrue();
        assertThat(atA.peer().certificate()).as("certificate that edge B proved to edge A")
                .isEqualTo(edgeBIdentity.certificate());
        assertThat(relayedTunnel(edgeB).orElseThrow().peer().certificate())
                .as("certificate that edge A proved to edge B").isEqualTo(edgeAIdentity.certificate());
        assertThat(edgeA.relayGatewayOf(atA)).contains(GATEWAY);
        assertThat(gateway.splicedTunnels()).singleElement()
                .satisfies(spliced -> assertThat(spliced.source()).isEqualTo(EDGE_A))
                .satisfies(spliced -> assertThat(spliced.destination()).isEqualTo(EDGE_B));
        await(() -> flowEvents.get(EDGE_B).size() == 4, "edge B to record the close of both connections");
        assertThat(flowEvents.get(EDGE_B)).extracting(FlowEvent::event).containsExactly(FlowRecord.Event.OPENED,
                FlowRecord.Event.OPENED, FlowRecord.Event.CLOSED, FlowRecord.Event.CLOSED);
        assertThat(flowEvents.get(GATEWAY)).as("flow events of the relaying gateway").isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Tag(RELAYED_TUNNELS)
    void gatewayRevocationCutsTheRelayedTunnel() throws Exception {
        try (Socket first = connectToConnector()) {
            first.getOutputStream().write("ping".getBytes());
            assertThat(first.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());
        }
        await(() -> relayedTunnel(edgeA).isPresent(), "the relayed tunnel between the two edges");
        try (Socket socket = connectToConnector()) {
            socket.getOutputStream().write("pong".getBytes());
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("pong".getBytes());
            assertThat(edgeA.bridgedStreams()).extracting(MeshStream::tunnel).contains(relayedTunnel(edgeA).get());

            long start = System.nanoTime();
            gateway.applyState(new AppliedState(2, Set.of(edgeAIdentity.certificate().getSerialNumber()),
                    ALLOW_A_TO_ECHO));

            assertThat(readUntilClosed(socket)).as("bytes after the gateway's state revoked edge A").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        await(() -> gateway.splicedTunnels().isEmpty() && relayedTunnel(edgeB).isEmpty(),
                "the gateway and edge B to close the relayed tunnel");
    }

    /** Returns the node's relayed tunnel, if one is open. */
    private static Optional<MeshTunnel> relayedTunnel(MeshNode node) {
        return node.tunnels().stream().filter(tunnel -> node.relayGatewayOf(tunnel).isPresent()).findFirst();
    }

    @Test
    void edgeRedialsGatewayAfterClose() throws Exception {
        MeshTunnel first = edgeA.tunnels().get(0);

        first.close();

        await(() -> edgeA.tunnels().size() == 1 && edgeA.tunnels().get(0) != first,
                "edge A to dial the gateway again");
    }

    /** Opens a stream in {@code session} that names {@code source}, and returns its reset as "CODE: reason". */
    private static CompletableFuture<String> openAndAwaitReset(EndToEndSession session, String target, String source) {
        CompletableFuture<String> reset = new CompletableFuture<>();
        session.tunnel().openStream(target, Map.of(MeshNode.SOURCE, source, MeshNode.DESTINATION, EDGE_B),
                new MeshStreamHandler() {
                    @Override
                    public void onData(MeshStream stream, java.nio.ByteBuffer data) {
                        reset.completeExceptionally(new AssertionError("data on a stream that should be reset"));
                    }

                    @Override
                    public void onReset(MeshStream stream, ErrorCode code, String reason) {
                        reset.complete(code + ": " + reason);
                    }
                });
        return reset;
    }

    private static SSLContext tlsContext(Identity identity) {
        return TlsContexts.mutualTlsContext(identity.privateKey(), identity.certificateChain(),
                identity.rootCertificate(), Set::of, Clock.systemUTC(), RANDOM);
    }

    private MeshNode start(Identity identity, Optional<InetSocketAddress> listen, List<GatewayAddress> gateways,
            AppliedState state, java.util.function.Function<String, ExposedService> services) throws IOException {
        MeshSettings mesh = MeshSettings.defaults();
        List<FlowEvent> events = new CopyOnWriteArrayList<>();
        flowEvents.put(identity.fullName(), events);
        MeshNode node = track(new MeshNode(identity, new MeshNodeSettings(listen, gateways, mesh, relayedTunnels), state, reactor,
                services, events::add, Clock.systemUTC(), RANDOM));
        node.start();
        return node;
    }

    /** Sends {@code payload} through the connector while reading the echo, half-closes, and returns the echo. */
    private byte[] exchange(byte[] payload) throws Exception {
        try (Socket socket = connectToConnector()) {
            CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    return socket.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException("Reading the echo failed", e);
                }
            });
            OutputStream out = socket.getOutputStream();
            out.write(payload);
            socket.shutdownOutput();
            return reading.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
        }
    }

    /** Returns the echo as text, or "closed without data" when the connection ends before any byte. */
    private String exchangeOrFailure(byte[] payload) throws IOException {
        Socket connected;
        try {
            connected = connectToConnector();
        } catch (SocketException e) {
            // The connector may reset the connection before setSoTimeout runs on it.
            return "closed without data";
        }
        try (Socket socket = connected) {
            try {
                socket.getOutputStream().write(payload);
            } catch (SocketException e) {
                return "closed without data";
            }
            byte[] received = readUntilClosed(socket);
            return received.length == 0 ? "closed without data" : new String(received);
        }
    }

    private Socket connectToConnector() throws IOException {
        Socket socket = new Socket();
        socket.connect(connector.address(), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static byte[] readUntilClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (SocketException e) {
            return new byte[0];
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Identity issue(String node, String nodeId) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, nodeId));
        return new Identity(nodeId, node + "." + DOMAIN, keys.getPrivate(), ca.chainFor(leaf), ca.rootCertificate());
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Polls {@code condition} every 20 ms for at most {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting %s for %s", WAIT, description).isNegative();
            Thread.sleep(20);
        }
    }

    /** A TCP echo server with a thread per connection, which closes its side after the client's FIN. */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocket server;
        private final byte[] banner;

        EchoServer() throws IOException {
            this(new byte[0]);
        }

        /** Writes {@code banner} to each connection as soon as it accepts it, then echoes. */
        EchoServer(byte[] banner) throws IOException {
            this.banner = banner;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptAll, "echo-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> echo(socket, banner), "echo-connection");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket socket, byte[] banner) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                out.write(banner);
                in.transferTo(out);
                socket.shutdownOutput();
            } catch (IOException e) {
                // The client reset the connection, which the denial tests cause on purpose.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
