package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.SocketException;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edges that both dial two gateways on 127.0.0.1: a connection through the gateway that
 * fails is reset, and the next connection goes through the other gateway.
 */
class GatewayFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOMAIN = "east.acme.example";
    private static final String EDGE_B = "edge-b." + DOMAIN;
    private static final String ALLOW_A_TO_ECHO = """
            {"rules": [{"id": "allow-echo", "domain": "east.acme.example",
              "source": "node:edge-a.east.acme.example",
              "destination": {"service": "echo", "nodes": "node:edge-b.east.acme.example"},
              "action": "allow"}]}""";

    @TempDir
    static Path caDirectory;

    private static CertificateAuthority ca;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TcpReactor reactor;
    private MeshNode gateway1;
    private MeshNode gateway2;
    private MeshNode edgeA;
    private MeshNode edgeB;
    private Connector connector;

    @BeforeAll
    static void createCa() throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Weft Test");
    }

    @BeforeEach
    void startNodes() throws IOException, InterruptedException {
        reactor = track(new TcpReactor("test"));
        MeshNodeTest.EchoServer echo = track(new MeshNodeTest.EchoServer());
        ExposedService echoService = new ExposedService("echo", "127.0.0.1", echo.port());
        AppliedState allow = new AppliedState(1, Set.of(), ALLOW_A_TO_ECHO);

        gateway1 = startGateway("gw1", allow);
        gateway2 = startGateway("gw2", allow);
        List<GatewayAddress> gateways = List.of(addressOf("gw1", gateway1), addressOf("gw2", gateway2));
        edgeB = start(issue("edge-b"), Optional.empty(), gateways, allow, name -> echoService);
        edgeA = start(issue("edge-a"), Optional.empty(), gateways, allow, name -> null);
        connector = track(new Connector(new Connector.Spec("echo-b", new InetSocketAddress("127.0.0.1", 0), "echo",
                EDGE_B, echo.port()), reactor, () -> Optional.of(edgeA)));
        connector.start();

        await(() -> gateway1.tunnels().size() == 2 && gateway2.tunnels().size() == 2
                && edgeA.tunnels().size() == 2 && edgeB.tunnels().size() == 2, "the tunnels of both edges to both gateways");
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
    void gatewayFailureMovesNewStreams() throws Exception {
        try (Socket first = connectToConnector()) {
            assertThat(echo(first, "one")).as("echo through the first chosen gateway").isEqualTo("one");
            MeshNode used = gateway1.streamCount() == 1 ? gateway1 : gateway2;
            MeshNode other = used == gateway1 ? gateway2 : gateway1;
            assertThat(used.streamCount()).as("relayed streams on the gateway in use").isEqualTo(1);

            used.close();

            assertThat(readUntilClosed(first)).as("bytes on the connection after its gateway failed").isEmpty();
            await(() -> edgeA.tunnels().size() == 1, "edge A to notice the failed gateway");
            try (Socket second = connectToConnector()) {
                assertThat(echo(second, "two")).as("echo after the failover").isEqualTo("two");
                assertThat(other.streamCount()).as("relayed streams on the remaining gateway").isEqualTo(1);
            }
        }
    }

    private MeshNode startGateway(String name, AppliedState state) throws IOException {
        return start(issue(name), Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), List.of(),
                state, service -> null);
    }

    private static GatewayAddress addressOf(String name, MeshNode gateway) {
        return GatewayAddress.parse(name + "." + DOMAIN + "@127.0.0.1:" + gateway.listenerAddress().orElseThrow().getPort());
    }

    private MeshNode start(Identity identity, Optional<InetSocketAddress> listen, List<GatewayAddress> gateways,
            AppliedState state, Function<String, ExposedService> services) throws IOException {
        MeshNode node = track(new MeshNode(identity, new MeshNodeSettings(listen, gateways, MeshSettings.defaults(), false),
                state, reactor, services, event -> { }, Clock.systemUTC(), RANDOM));
        node.start();
        return node;
    }

    private static String echo(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        return new String(socket.getInputStream().readNBytes(text.length()));
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

    private static Identity issue(String node) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        String nodeId = "node-" + node;
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), node, DOMAIN, nodeId));
        return new Identity(nodeId, node + "." + DOMAIN, keys.getPrivate(), ca.chainFor(leaf), ca.rootCertificate());
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
