package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.mesh.EndToEndSession;
import io.weft.mesh.MeshSettings;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifetime of end-to-end sessions between three nodes on 127.0.0.1 (edge A → gateway ←
 * edge B), with a keepalive of 1 s and 2 missed pings, so an unused session closes after 2 s.
 */
class EndToEndSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "east.acme.example";
    private static final String EDGE_B = "edge-b." + DOMAIN;
    private static final String EDGE_A = "edge-a." + DOMAIN;
    private static final MeshSettings SETTINGS = MeshSettings.defaults().withKeepalive(Duration.ofSeconds(1), 2);
    private static final String ALLOW_A_TO_ECHO = """
            {"rules": [{"id": "allow-echo", "domain": "east.acme.example",
              "source": "node:edge-a.east.acme.example",
              "destination": {"service": "echo", "nodes": "node:edge-b.east.acme.example"},
              "action": "allow"}]}""";
    private static final String ALLOW_ECHO_IN_DOMAIN = """
            {"rules": [{"id": "allow-echo-both-ways", "domain": "east.acme.example",
              "source": "domain:east.acme.example", "destination": {"service": "echo"}, "action": "allow"}]}""";

    @TempDir
    Path caDirectory;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private MeshNode gateway;
    private MeshNode edgeA;
    private MeshNode edgeB;
    private Connector connector;
    private TcpReactor reactor;
    private int echoPort;

    @BeforeEach
    void startNodes() throws Exception {
        CertificateAuthority ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
        TcpReactor reactor = track(new TcpReactor("test"));
        MeshNodeTest.EchoServer echo = track(new MeshNodeTest.EchoServer());
        ExposedService service = new ExposedService("echo", "127.0.0.1", echo.port());
        AppliedState allow = new AppliedState(1, Set.of(), ALLOW_A_TO_ECHO);
        gateway = start(issue(ca, "gw1"), Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                List.of(), allow, reactor, null);
        List<GatewayAddress> gateways = List.of(GatewayAddress.parse("gw1." + DOMAIN + "@127.0.0.1:"
                + gateway.listenerAddress().orElseThrow().getPort()));
        edgeB = start(issue(ca, "edge-b"), Optional.empty(), gateways, allow, reactor, service);
        // Edge A exposes the echo service too, which the rules reach only in the test that allows it.
        edgeA = start(issue(ca, "edge-a"), Optional.empty(), gateways, allow, reactor, service);
        this.reactor = reactor;
        this.echoPort = echo.port();
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
    void unusedSessionClosesAndNextStreamOpensNew() throws Exception {
        assertThat(MeshNode.sessionIdleClose(SETTINGS)).as("idle close of this test").isEqualTo(Duration.ofSeconds(2));
        try (Socket socket = connect()) {
            assertThat(echo(socket, 1)).as("echo through the first session").isEqualTo(1);
        }
        EndToEndSession first = edgeA.endToEndSessions().get(0);

        await(() -> edgeA.endToEndSessions().isEmpty() && edgeB.endToEndSessions().isEmpty()
                && gateway.streamCount() == 0, "the unused session to close at both ends and the gateway");

        try (Socket socket = connect()) {
            assertThat(echo(socket, 2)).as("echo through a new session").isEqualTo(2);
        }
        assertThat(edgeA.endToEndSessions()).as("sessions of edge A after the first closed").hasSize(1)
                .doesNotContain(first);
    }

    @Test
    void sessionWithOpenStreamStaysOpen() throws Exception {
        try (Socket socket = connect()) {
            assertThat(echo(socket, 1)).isEqualTo(1);
            EndToEndSession session = edgeA.endToEndSessions().get(0);

            Thread.sleep(3 * MeshNode.sessionIdleClose(SETTINGS).toMillis() / 2);

            assertThat(edgeA.endToEndSessions()).as("sessions of edge A with an idle open stream")
                    .containsExactly(session);
            assertThat(echo(socket, 2)).as("echo on the stream after the idle close time").isEqualTo(2);
        }
    }

    @Test
    void streamsBothWaysShareOneSession() throws Exception {
        AppliedState bothWays = new AppliedState(2, Set.of(), ALLOW_ECHO_IN_DOMAIN);
        for (MeshNode node : List.of(gateway, edgeA, edgeB)) {
            node.applyState(bothWays);
        }
        Connector toA = track(new Connector(new Connector.Spec("echo-a", new InetSocketAddress("127.0.0.1", 0), "echo",
                EDGE_A, echoPort), reactor, () -> Optional.of(edgeB)));
        toA.start();

        try (Socket fromA = connect(connector)) {
            assertThat(echo(fromA, 1)).as("echo from edge A through the session that it opened").isEqualTo(1);
            // A connector opens its stream on accept, so edge B connects only once the session is established.
            try (Socket fromB = connect(toA)) {
                assertThat(echo(fromB, 2)).as("echo from edge B").isEqualTo(2);
            }

            assertThat(edgeA.endToEndSessions()).as("sessions of edge A").hasSize(1);
            assertThat(edgeB.endToEndSessions()).as("sessions of edge B").hasSize(1);
            assertThat(gateway.streamCount()).as("carriers that the gateway relays").isEqualTo(1);
        }
    }

    private Socket connect() throws IOException {
        return connect(connector);
    }

    private static Socket connect(Connector connector) throws IOException {
        Socket socket = new Socket();
        socket.connect(connector.address(), (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static int echo(Socket socket, int value) throws IOException {
        socket.getOutputStream().write(value);
        return socket.getInputStream().read();
    }

    private MeshNode start(Identity identity, Optional<InetSocketAddress> listen, List<GatewayAddress> gateways,
            AppliedState state, TcpReactor reactor, ExposedService service) throws IOException {
        MeshNode node = track(new MeshNode(identity, new MeshNodeSettings(listen, gateways, SETTINGS, false), state, reactor,
                name -> service, event -> { }, Clock.systemUTC(), RANDOM));
        node.start();
        return node;
    }

    private static Identity issue(CertificateAuthority ca, String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, "node-" + node));
        return new Identity("node-" + node, node + "." + DOMAIN, keys.getPrivate(), ca.chainFor(leaf),
                ca.rootCertificate());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Polls {@code condition} every 20 ms for at most {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting %s for %s", WAIT, description).isNegative();
            Thread.sleep(20);
        }
    }
}
