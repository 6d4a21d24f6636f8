package io.weft.systemtest;

import static io.weft.systemtest.harness.SeparateHostsNetwork.EDGE_B_LINK_ADDRESS;
import static io.weft.systemtest.harness.SeparateHostsNetwork.GATEWAY_MESH_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.DigestTcpTool;
import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.FreePorts;
import io.weft.systemtest.harness.KarafConfigFile;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.SeparateHostsNetwork;
import io.weft.systemtest.harness.SeparateHostsNetwork.Site;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.ToolProcess;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The mesh relay between separate hosts: the gateway {@value #GATEWAY} and the edges
 * {@value #EDGE_A} and {@value #EDGE_B} each run in a network namespace of their own, built by
 * {@link SeparateHostsNetwork}. Each edge has a link only to the gateway, which does not forward
 * IP packets, so the only way from one edge to the other is the gateway's mesh relay. The manager
 * stays in the root namespace and serves the nodes on the management bridge's address.
 *
 * <p>A TCP server of this test runs in eb's namespace on eb's link address, behind the service
 * {@value #SERVICE} of eb. A client in ea's namespace sends through ea's connector, and the
 * returned SHA-256 proves that every byte arrived. The tunnel listings show that each edge has a
 * connection only to the gateway, and that after the first stream the edges run a relayed tunnel
 * between them, whose two connections the gateway splices, and which carries the later streams.
 *
 * <p>Creating namespaces needs root and a kernel that permits it; elsewhere the tests are skipped
 * with the reason. The tests share the installations and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class MeshNamespacesIT {

    private static final String ROOT_DOMAIN = "hosts.example";
    private static final String GATEWAY = "gw1.gw.hosts.example";
    private static final String EDGE_A = "ea.a.hosts.example";
    private static final String EDGE_B = "eb.b.hosts.example";
    private static final String SERVICE = "echo";
    private static final String RULE_ID = "hosts-ea-echo";
    private static final int TRANSFER_BYTES = 4 * 1024 * 1024;
    private static final int HELD_BYTES = 64 * 1024;
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    /** Edges dial the gateway again with backoff of up to 30 s after their mesh restarts. */
    private static final Duration FIRST_STREAM_TIMEOUT = Duration.ofSeconds(90);
    /** Upper bound on one run of the TCP tool, including its JVM start on a loaded machine. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(180);
    /** Nodes send flow records every second. */
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);
    private static final int ISOLATION_CONNECT_TIMEOUT_MILLIS = 3_000;

    private final List<ToolProcess> tools = new ArrayList<>();
    /** Why this machine cannot build the namespaces, or empty when it can. */
    private Optional<String> unsupported = Optional.empty();
    private SeparateHostsNetwork network;
    private ManagerApi api;
    private WeftInstallation manager;
    private WeftInstallation gateway;
    private WeftInstallation edgeA;
    private WeftInstallation edgeB;
    private ToolProcess server;
    private int serverPort;
    private int meshPort;
    private int connectorPort;

    /**
     * Builds the namespaces and starts the mesh. Where namespaces are not permitted, it builds
     * nothing, and {@link #requireNamespaces} skips each test, so the reports list every test as
     * skipped with the reason.
     */
    @BeforeAll
    void startMeshOnSeparateHosts(WeftInstallations installations) throws IOException {
        unsupported = SeparateHostsNetwork.unsupportedReason();
        if (unsupported.isPresent()) {
            System.err.println("MeshNamespacesIT: skipping every test, because " + unsupported.get());
            return;
        }

        network = SeparateHostsNetwork.create();
        manager = installations.create(Distribution.MANAGER);
        listenOnManagementNetwork(manager, network.hostAddress());
        gateway = installations.create(Distribution.NODE)
                .inNetworkNamespace(network.gateway().namespace(), network.gateway().managementAddress());
        edgeA = installations.create(Distribution.NODE)
                .inNetworkNamespace(network.edgeA().namespace(), network.edgeA().managementAddress());
        edgeB = installations.create(Distribution.NODE)
                .inNetworkNamespace(network.edgeB().namespace(), network.edgeB().managementAddress());
        startTogether(List.of(manager, gateway, edgeA, edgeB));
        server = startTool("digest server in " + network.edgeB().namespace(), network.edgeB(), "serve",
                EDGE_B_LINK_ADDRESS, "0");
        serverPort = Integer.parseInt(server.awaitLine("listening ", TOOL_TIMEOUT).substring("listening ".length()));

        api = new ManagerApi(manager);
        for (String domain : List.of(ROOT_DOMAIN, "gw.hosts.example", "a.hosts.example", "b.hosts.example")) {
            api.expect(201, api.post("/domains", "{\"name\": \"" + domain + "\"}"));
        }
        enroll(gateway, GATEWAY, "gateway");
        enroll(edgeA, EDGE_A, "edge");
        enroll(edgeB, EDGE_B, "edge");
        meshPort = FreePorts.allocate();
        connectorPort = FreePorts.allocate();
        configureMesh();

        for (String node : List.of(GATEWAY, EDGE_A, EDGE_B)) {
            awaitTrue(node + " online with its desired state applied", STATE_TIMEOUT, () -> applied(node));
        }
    }

    @BeforeEach
    void requireNamespaces() {
        assumeTrue(unsupported.isEmpty(), () -> "MeshNamespacesIT needs network namespaces, but " + unsupported.get());
    }

    /** Stops the processes inside the namespaces before the namespaces go, then removes them, even after a failure. */
    @AfterAll
    void stopAndRemoveNamespaces() {
        List<Runnable> steps = new ArrayList<>();
        tools.forEach(tool -> steps.add(tool::close));
        for (WeftInstallation installation : Arrays.asList(edgeA, edgeB, gateway, manager)) {
            if (installation != null) {
                steps.add(installation::close);
            }
        }
        if (network != null) {
            steps.add(network::close);
        }
        runAll(steps);
    }

    @Test
    @Order(1)
    void edgesReachOnlyTheGateway() {
        Site siteA = network.edgeA();
        Site siteB = network.edgeB();

        String fromGateway = connectFrom(network.gateway(), EDGE_B_LINK_ADDRESS, serverPort);
        String fromEdgeA = connectFrom(siteA, EDGE_B_LINK_ADDRESS, serverPort);
        String toManagementOfB = connectFrom(siteA, siteB.managementAddress(), edgeB.sshPort());
        System.out.printf("MeshNamespacesIT: from the gateway to eb's server: %s; from ea: %s; from ea to eb's SSH "
                + "port on the management bridge: %s%n", fromGateway, fromEdgeA, toManagementOfB);

        assertThat(network.ipv4Forwarding(network.gateway())).as("IPv4 forwarding in %s",
                network.gateway().namespace()).isFalse();
        assertThat(fromGateway).as("a TCP connection from the gateway's namespace to the server on %s",
                EDGE_B_LINK_ADDRESS).isEqualTo("connected");
        assertThat(fromEdgeA).as("a TCP connection from ea's namespace to the server on %s", EDGE_B_LINK_ADDRESS)
                .startsWith("failed");
        assertThat(toManagementOfB).as("a TCP connection from ea's namespace to eb's SSH port on %s",
                siteB.managementAddress()).startsWith("failed");
    }

    @Test
    @Order(2)
    void tunnelsLeadOnlyToTheGateway() {
        awaitTrue("weft:tunnels on gw1 lists open tunnels from ea and eb", STATE_TIMEOUT,
                () -> tunnel(gateway, EDGE_A, "accepted").isPresent() && tunnel(gateway, EDGE_B, "accepted").isPresent());
        awaitTrue("weft:tunnels on ea and eb lists an open tunnel to gw1", STATE_TIMEOUT,
                () -> tunnel(edgeA, GATEWAY, "dialled").isPresent() && tunnel(edgeB, GATEWAY, "dialled").isPresent());

        List<String> peersOfA = directPeers(edgeA);
        List<String> peersOfB = directPeers(edgeB);

        assertThat(peersOfA).as("peers of ea's direct tunnels").containsExactly(GATEWAY);
        assertThat(peersOfB).as("peers of eb's direct tunnels").containsExactly(GATEWAY);
    }

    @Test
    @Order(3)
    void relayedTransferKeepsSha256() {
        awaitTrue("a first stream from ea through gw1 to the server behind eb", FIRST_STREAM_TIMEOUT,
                () -> transferSucceeds(1024, 1));
        awaitTrue("the relayed tunnel between ea and eb, spliced by gw1", STATE_TIMEOUT,
                () -> relayedTunnel(edgeA, EDGE_B).isPresent() && relayedTunnel(edgeB, EDGE_A).isPresent());
        String expected = DigestTcpTool.sha256Hex(DigestTcpTool.payload(TRANSFER_BYTES, 42));

        long started = System.nanoTime();
        ToolProcess client = startSend(TRANSFER_BYTES, 42, false);
        String returned = client.awaitLine("returned ", TRANSFER_TIMEOUT);
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("MeshNamespacesIT: %d bytes from ea's namespace through gw1 to eb's namespace in %d ms,"
                + " including the client's JVM start%n", TRANSFER_BYTES, millis);
        assertThat(client.awaitLine("sent ", TOOL_TIMEOUT)).as("what the client in ea's namespace sent")
                .isEqualTo("sent " + TRANSFER_BYTES + " " + expected);
        assertThat(returned).as("the SHA-256 that came back through the mesh").isEqualTo("returned " + expected);
        assertThat(server.lines()).as("what the server in eb's namespace received")
                .contains("received " + TRANSFER_BYTES + " " + expected);
        assertThat(relayedTunnel(edgeA, EDGE_B)).as("weft:tunnels on ea: the relayed tunnel to eb, spliced by gw1")
                .hasValueSatisfying(row -> assertThat(row.get(2)).isEqualTo("dialled"));
        assertThat(relayedTunnel(edgeB, EDGE_A)).as("weft:tunnels on eb: the relayed tunnel from ea")
                .hasValueSatisfying(row -> assertThat(row.get(2)).isEqualTo("accepted"));
    }

    @Test
    @Order(4)
    void heldStreamCrossesTheRelayedTunnel() {
        ToolProcess client = startSend(HELD_BYTES, 7, true);
        client.awaitLine("holding", TOOL_TIMEOUT);
        String expected = DigestTcpTool.sha256Hex(DigestTcpTool.payload(HELD_BYTES, 7));

        awaitTrue("the held stream on the relayed tunnel at ea and at eb", STATE_TIMEOUT,
                () -> relayedStreams(edgeA, EDGE_B) == 1 && relayedStreams(edgeB, EDGE_A) == 1);
        client.writeLine("finish");
        String returned = client.awaitLine("returned ", TOOL_TIMEOUT);

        assertThat(returned).as("the SHA-256 of the held stream").isEqualTo("returned " + expected);
        awaitTrue("no open streams on the relayed tunnel after the held stream closed", STATE_TIMEOUT,
                () -> relayedStreams(edgeA, EDGE_B) == 0 && relayedStreams(edgeB, EDGE_A) == 0);
    }

    @Test
    @Order(5)
    void relayedTransferRecordedByEdgesOnly() {
        awaitTrue("flow records of the 4 MiB transfer from ea and eb", FLOW_TIMEOUT,
                () -> closedFlows(TRANSFER_BYTES).size() == 2);

        List<JsonNode> records = closedFlows(TRANSFER_BYTES);
        String gatewayFlows = shellOutput(gateway, "weft:flows");

        assertThat(records).extracting(record -> record.path("end").asText())
                .containsExactlyInAnyOrder("source", "destination");
        for (JsonNode record : records) {
            assertThat(record.path("rule").asText()).as("deciding rule of %s", record).isEqualTo(RULE_ID);
            assertThat(record.path("action").asText()).as("action of %s", record).isEqualTo("allow");
            assertThat(record.path("bytesToSource").asLong()).as("bytes back to ea in %s", record)
                    .isEqualTo(DigestTcpTool.DIGEST_BYTES);
            assertThat(record.path("port").asInt()).as("service port in %s", record).isEqualTo(serverPort);
        }
        assertThat(gatewayFlows).as("weft:flows on gw1, which relays streams without recording them")
                .contains("No flows");
    }

    /**
     * Lets the nodes in the namespaces reach the manager on the bridge address: HTTPS and the
     * control port listen there, and enrollment tokens and the manager's certificate carry it.
     * HTTPS stays on 127.0.0.1 too, for the test and the manager's own readiness check.
     */
    private static void listenOnManagementNetwork(WeftInstallation manager, String address) throws IOException {
        Path pki = manager.etc().resolve("io.weft.manager.pki.cfg");
        KarafConfigFile.set(manager.etc().resolve("org.ops4j.pax.web.cfg"), "org.ops4j.pax.web.listening.addresses",
                "127.0.0.1," + address);
        KarafConfigFile.set(pki, "enrollmentUrl", "https://" + address + ":" + manager.httpsPort() + "/api/v1/enroll");
        KarafConfigFile.set(pki, "controlAddress", address + ":" + manager.controlPort());
        KarafConfigFile.set(pki, "serverIpAddresses", "127.0.0.1," + address);
        KarafConfigFile.set(manager.etc().resolve("io.weft.manager.control.cfg"), "host", address);
    }

    /**
     * Sets the profiles. The gateway listens on its mesh address, and both edges dial it there over
     * their own links. Eb exposes the server, ea has a connector on 127.0.0.1 in its namespace, and
     * one rule allows ea to reach the service.
     */
    private void configureMesh() {
        // The gateway would otherwise inherit the gateways entry of the root domain and dial itself.
        putProfile("/nodes/" + GATEWAY + "/profile", """
                {"pids": {"io.weft.mesh": {
                  "listenAddress": {"type": "string", "value": "%s"},
                  "listenPort": {"type": "long", "value": %d},
                  "gateways": {"remove": true}}}}""".formatted(GATEWAY_MESH_ADDRESS, meshPort));
        putProfile("/domains/" + ROOT_DOMAIN + "/profile", """
                {"pids": {"io.weft.mesh": {
                  "gateways": {"type": "string[]", "value": ["%s@%s:%d"]}}}}"""
                .formatted(GATEWAY, GATEWAY_MESH_ADDRESS, meshPort));
        putProfile("/nodes/" + EDGE_B + "/profile", """
                {"pids": {"io.weft.mesh.service~%s": {
                  "name": {"type": "string", "value": "%s"},
                  "host": {"type": "string", "value": "%s"},
                  "port": {"type": "long", "value": %d}}}}"""
                .formatted(SERVICE, SERVICE, EDGE_B_LINK_ADDRESS, serverPort));
        putProfile("/nodes/" + EDGE_A + "/profile", """
                {"pids": {"io.weft.mesh.connector~%s": {
                  "name": {"type": "string", "value": "%s"},
                  "listenAddress": {"type": "string", "value": "127.0.0.1"},
                  "listenPort": {"type": "long", "value": %d},
                  "service": {"type": "string", "value": "%s"},
                  "node": {"type": "string", "value": "%s"},
                  "servicePort": {"type": "long", "value": %d}}}}"""
                .formatted(SERVICE, SERVICE, connectorPort, SERVICE, EDGE_B, serverPort));
        api.expect(201, api.post("/policies/rules", """
                {"id": "%s", "domain": "%s", "source": "node:%s",
                 "destination": {"service": "%s", "nodes": "node:%s"}, "action": "allow",
                 "description": "ea reaches the echo service of eb through the gateway's relay"}"""
                .formatted(RULE_ID, ROOT_DOMAIN, EDGE_A, SERVICE, EDGE_B)));
    }

    /** Launches every installation first, so that the four JVMs start in parallel, then waits for each. */
    private static void startTogether(List<WeftInstallation> installations) {
        installations.forEach(WeftInstallation::launch);
        for (WeftInstallation installation : installations) {
            installation.awaitReady();
            installation.awaitSshPort(Duration.ofSeconds(60));
        }
    }

    private void enroll(WeftInstallation node, String fullName, String role) {
        int dot = fullName.indexOf('.');
        api.expect(201, api.post("/nodes", "{\"name\": \"" + fullName.substring(0, dot) + "\", \"domain\": \""
                + fullName.substring(dot + 1) + "\", \"role\": \"" + role + "\"}"));
        String token = api.expect(201, api.post("/nodes/" + fullName + "/enrollment-tokens", "{}"))
                .path("token").asText();

        ShellResult enrolled = node.shell().execute("weft:enroll " + token);

        assertThat(enrolled.exitStatus()).as("weft:enroll on %s: %s %s", fullName, enrolled.output(),
                enrolled.error()).isZero();
        assertThat(enrolled.output()).contains(fullName);
    }

    private void putProfile(String path, String json) {
        api.expect(201, api.put(path, null, json));
    }

    /** Returns true when the node is online and has applied its desired revision. */
    private boolean applied(String node) {
        JsonNode state = api.expect(200, api.get("/nodes/" + node));
        long appliedRevision = state.path("appliedRevision").asLong();
        return state.path("online").asBoolean() && appliedRevision > 0
                && appliedRevision == state.path("desiredRevision").asLong();
    }

    /** Returns the closed records of streams from ea to the service on eb that carried {@code bytes} to eb. */
    private List<JsonNode> closedFlows(long bytes) {
        JsonNode page = api.expect(200, api.get("/flows?limit=1000&source=" + EDGE_A + "&destination=" + EDGE_B
                + "&service=" + SERVICE));
        List<JsonNode> records = new ArrayList<>();
        page.path("items").forEach(records::add);
        return records.stream()
                .filter(record -> record.path("event").asText().equals("closed"))
                .filter(record -> record.path("bytesToDestination").asLong() == bytes)
                .toList();
    }

    /** Runs {@link DigestTcpTool} inside the site's namespace, until {@link #stopAndRemoveNamespaces} closes it. */
    private ToolProcess startTool(String name, Site site, String... arguments) {
        ToolProcess tool = ToolProcess.start(name, DigestTcpTool.command(network.ip().execPrefix(site.namespace()),
                arguments));
        tools.add(tool);
        return tool;
    }

    /** Starts a client in ea's namespace that sends the payload through ea's connector. */
    private ToolProcess startSend(int bytes, long seed, boolean hold) {
        List<String> arguments = new ArrayList<>(List.of("send", "127.0.0.1", String.valueOf(connectorPort),
                String.valueOf(bytes), String.valueOf(seed)));
        if (hold) {
            arguments.add("hold");
        }
        return startTool("client in " + network.edgeA().namespace(), network.edgeA(), arguments.toArray(String[]::new));
    }

    /** Returns true when a transfer through ea's connector returned the SHA-256 of its payload. */
    private boolean transferSucceeds(int bytes, long seed) {
        try (ToolProcess client = startSend(bytes, seed, false)) {
            String outcome = client.awaitLine(line -> line.startsWith("returned ") || line.startsWith("failed"),
                    "an outcome", TOOL_TIMEOUT);
            tools.remove(client);
            return outcome.equals("returned " + DigestTcpTool.sha256Hex(DigestTcpTool.payload(bytes, seed)));
        }
    }

    /** Opens a TCP connection from inside the site's namespace and returns {@code connected} or {@code failed ...}. */
    private String connectFrom(Site site, String address, int port) {
        try (ToolProcess probe = startTool("connection probe in " + site.namespace(), site, "connect", address,
                String.valueOf(port), String.valueOf(ISOLATION_CONNECT_TIMEOUT_MILLIS))) {
            String outcome = probe.awaitLine(line -> line.equals("connected") || line.startsWith("failed"),
                    "an outcome", TOOL_TIMEOUT);
            tools.remove(probe);
            return outcome;
        }
    }

    private static String shellOutput(WeftInstallation node, String command) {
        return node.shell().execute(command).requireSuccess().output();
    }

    /** Runs a {@code --no-format} table command and returns its rows split at tabs, each field stripped of padding. */
    private static List<List<String>> tableRows(WeftInstallation node, String command) {
        return shellOutput(node, command).lines().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split("\t")).map(String::strip).toList()).toList();
    }

    /** Returns the peers of the node's TLS connections, leaving out end-to-end sessions, which name a gateway in "Via". */
    private static List<String> directPeers(WeftInstallation node) {
        return tableRows(node, "weft:tunnels --no-format").stream()
                .filter(row -> row.size() < 7 || row.get(6).equals("-"))
                .map(row -> row.get(0))
                .toList();
    }

    /** Returns the {@code weft:tunnels} row of the open tunnel with the peer in that direction, if listed. */
    private static Optional<List<String>> tunnel(WeftInstallation node, String peer, String direction) {
        return tableRows(node, "weft:tunnels --no-format").stream().filter(row -> row.size() >= 5
                && row.get(0).equals(peer) && row.get(2).equals(direction) && row.get(3).equals("open")).findFirst();
    }

    /** Returns the {@code weft:tunnels} row of the open relayed tunnel with the peer, which gw1 splices, if listed. */
    private static Optional<List<String>> relayedTunnel(WeftInstallation node, String peer) {
        return tableRows(node, "weft:tunnels --no-format").stream().filter(row -> row.size() >= 7
                && row.get(0).equals(peer) && row.get(3).equals("open")
                && row.get(6).equals(GATEWAY + " (relayed tunnel)")).findFirst();
    }

    /** Returns the open streams of the relayed tunnel with the peer, or -1 when the node lists no such tunnel. */
    private static int relayedStreams(WeftInstallation node, String peer) {
        return relayedTunnel(node, peer).map(row -> Integer.parseInt(row.get(4))).orElse(-1);
    }

    private static void awaitTrue(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + description, e);
            }
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + description);
    }

    /** Runs every step even when one fails, then raises the first failure with the others suppressed. */
    private static void runAll(List<Runnable> steps) {
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
