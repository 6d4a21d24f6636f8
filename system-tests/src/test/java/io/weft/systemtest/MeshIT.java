package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.FreePorts;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The mesh data plane on real distributions: a manager, a gateway {@value #GATEWAY} and two
 * edges, all enrolled through {@code weft:enroll} and configured only through profiles and the
 * policy API. A TCP server of this test sits behind a service on {@value #EDGE_B}, and a
 * connector on {@value #EDGE_A} reaches it through the gateway's relay, because the edges
 * dial only the gateway. The server returns the SHA-256 of what it received, so a transfer
 * also proves that half-close crosses the mesh. {@code weft:tunnels}, {@code weft:services}
 * and {@code weft:connectors} show the tunnels, the service and the connector. Both edges report
 * each stream as flow records, which {@code /api/v1/flows} then lists, also for a transfer made
 * while the manager was stopped.
 *
 * <p>The last test adds a domain-level allow and a deny of the tag {@code quarantine}, tags
 * {@value #EDGE_A} through the fleet API, and checks that {@value #EDGE_B} blocks the stream
 * with the tag that the manager signed into its peer directory, then lets it through once the
 * tag is removed.
 *
 * <p>The tests share the installations and run in order: the later one deletes the rule that
 * the earlier one relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class MeshIT {

    private static final String ROOT_DOMAIN = "mesh.example";
    private static final String GATEWAY = "gw1.gw.mesh.example";
    private static final String EDGE_A = "ea.a.mesh.example";
    private static final String EDGE_B = "eb.b.mesh.example";
    private static final String SERVICE = "echo";
    private static final String RULE_ID = "mesh-ea-echo";
    private static final String QUARANTINE_RULE_ID = "mesh-quarantine-echo";
    /** Name of the second connector on ea, whose configured service port differs from the real one. */
    private static final String UNCHECKED_CONNECTOR = "echo-unchecked";
    /** Port that ea's own policy check reads for the second connector; the deny rule names only the real port. */
    private static final int UNCHECKED_SERVICE_PORT = 1;
    private static final int TRANSFER_BYTES = 16 * 1024 * 1024;
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(45);
    /** Edges dial the gateway again with backoff of up to 30 s after their mesh restarts. */
    private static final Duration FIRST_STREAM_TIMEOUT = Duration.ofSeconds(60);
    /** Socket read timeout of every client connection through the connector. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Time within which a denied connection must be closed or reset. */
    private static final Duration DENIAL_TIMEOUT = Duration.ofSeconds(10);
    /** Nodes send flow records every second, but reconnect to a restarted manager with backoff of up to 30 s. */
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);
    private static final int OFFLINE_TRANSFER_BYTES = 1024 * 1024 + 7;
    private static final int DIGEST_BYTES = 32;

    private final List<Socket> openSockets = new CopyOnWriteArrayList<>();
    private ManagerApi api;
    private WeftInstallation manager;
    private WeftInstallation gateway;
    private WeftInstallation edgeA;
    private WeftInstallation edgeB;
    private DigestServer server;
    private int connectorPort;

    @BeforeAll
    void startMesh(WeftInstallations installations) throws IOException {
        manager = installations.create(Distribution.MANAGER);
        gateway = installations.create(Distribution.NODE);
        edgeA = installations.create(Distribution.NODE);
        edgeB = installations.create(Distribution.NODE);
        startTogether(List.of(manager, gateway, edgeA, edgeB));
        server = DigestServer.start();

        api = new ManagerApi(manager);
        for (String domain : List.of(ROOT_DOMAIN, "gw.mesh.example", "a.mesh.example", "b.mesh.example")) {
            api.expect(201, api.post("/domains", "{\"name\": \"" + domain + "\"}"));
        }
        enroll(gateway, GATEWAY, "gateway");
        enroll(edgeA, EDGE_A, "edge");
        enroll(edgeB, EDGE_B, "edge");

        int meshPort = FreePorts.allocate();
        connectorPort = FreePorts.allocate();
        // The gateway would otherwise inherit the gateways entry of the root domain and dial itself, so its
        // profile comes first and removes that key.
        putProfile("/nodes/" + GATEWAY + "/profile", """
                {"pids": {"io.weft.mesh": {
                  "listenAddress": {"type": "string", "value": "127.0.0.1"},
                  "listenPort": {"type": "long", "value": %d},
                  "gateways": {"remove": true}}}}""".formatted(meshPort));
        putProfile("/domains/" + ROOT_DOMAIN + "/profile", """
                {"pids": {"io.weft.mesh": {
                  "gateways": {"type": "string[]", "value": ["%s@127.0.0.1:%d"]}}}}"""
                .formatted(GATEWAY, meshPort));
        putProfile("/nodes/" + EDGE_B + "/profile", """
                {"pids": {"io.weft.mesh.service~%s": {
                  "name": {"type": "string", "value": "%s"},
                  "host": {"type": "string", "value": "127.0.0.1"},
                  "port": {"type": "long", "value": %d}}}}""".formatted(SERVICE, SERVICE, server.port()));
        putProfile("/nodes/" + EDGE_A + "/profile", """
                {"pids": {"io.weft.mesh.connector~%s": {
                  "name": {"type": "string", "value": "%s"},
                  "listenAddress": {"type": "string", "value": "127.0.0.1"},
                  "listenPort": {"type": "long", "value": %d},
                  "service": {"type": "string", "value": "%s"},
                  "node": {"type": "string", "value": "%s"},
                  "servicePort": {"type": "long", "value": %d}}}}"""
                .formatted(SERVICE, SERVICE, connectorPort, SERVICE, EDGE_B, server.port()));
        api.expect(201, api.post("/policies/rules", """
                {"id": "%s", "domain": "%s", "source": "node:%s",
                 "destination": {"service": "%s", "nodes": "node:%s"}, "action": "allow",
                 "description": "ea reaches the echo service of eb through the mesh"}"""
                .formatted(RULE_ID, ROOT_DOMAIN, EDGE_A, SERVICE, EDGE_B)));

        for (String node : List.of(GATEWAY, EDGE_A, EDGE_B)) {
            awaitTrue(node + " online with its desired state applied", STATE_TIMEOUT, () -> applied(node, 0));
        }
    }

    @AfterAll
    void closeSockets() throws IOException {
        for (Socket socket : openSockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void shellCommandsShowMesh() {
        awaitTrue("weft:tunnels on gw1 lists the tunnels from ea and eb", STATE_TIMEOUT,
                () -> tunnelsOpen(gateway, EDGE_A, "accepted") && tunnelsOpen(gateway, EDGE_B, "accepted"));
        awaitTrue("weft:tunnels on ea lists its tunnel to gw1", STATE_TIMEOUT,
                () -> tunnelsOpen(edgeA, GATEWAY, "dialled"));

        List<List<String>> services = tableRows(edgeB, "weft:services --no-format");
        List<List<String>> connectors = tableRows(edgeA, "weft:connectors --no-format");
        String gatewayServices = shellOutput(gateway, "weft:services");

        assertThat(services).as("weft:services on eb")
                .containsExactly(List.of(SERVICE, "127.0.0.1", String.valueOf(server.port())));
        assertThat(connectors).as("weft:connectors on ea").containsExactly(List.of(SERVICE,
                "127.0.0.1:" + connectorPort, SERVICE, EDGE_B, String.valueOf(server.port())));
        assertThat(gatewayServices).as("weft:services on gw1").contains("No services");
    }

    @Test
    @Order(2)
    void relayedTransferKeepsSha256() throws IOException {
        byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
        awaitTrue("a first stream from ea through gw1 to the echo service on eb", FIRST_STREAM_TIMEOUT,
                () -> transferSucceeds(probe));
        byte[] payload = new byte[TRANSFER_BYTES];
        new Random(42).nextBytes(payload);

        long started = System.nanoTime();
        byte[] returned = transfer(payload);
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("MeshIT: %d bytes through ea -> gw1 -> eb in %d ms%n", payload.length, millis);
        assertThat(HexFormat.of().formatHex(returned)).as("SHA-256 computed by the server")
                .isEqualTo(HexFormat.of().formatHex(sha256(payload)));
        assertThat(server.receivedBytes()).as("bytes per connection that the server read").contains(TRANSFER_BYTES);
    }

    @Test
    @Order(3)
    void relayedTransferIsRecordedAtBothEnds() {
        awaitTrue("flow records of the 16 MiB transfer from ea and eb", FLOW_TIMEOUT,
                () -> closedFlows(TRANSFER_BYTES).size() == 2);

        List<JsonNode> records = closedFlows(TRANSFER_BYTES);

        assertThat(records).extracting(record -> record.path("end").asText())
                .containsExactlyInAnyOrder("source", "destination");
        for (JsonNode record : records) {
            assertThat(record.path("rule").asText()).as("deciding rule of %s", record).isEqualTo(RULE_ID);
            assertThat(record.path("action").asText()).as("action of %s", record).isEqualTo("allow");
            assertThat(record.path("bytesToSource").asLong()).as("bytes back to ea in %s", record)
                    .isEqualTo(DIGEST_BYTES);
            assertThat(record.path("port").asInt()).as("service port in %s", record).isEqualTo(server.port());
        }
    }

    @Test
    @Order(4)
    void trafficFlowsWhileManagerIsStopped() throws IOException {
        byte[] payload = new byte[OFFLINE_TRANSFER_BYTES];
        new Random(7).nextBytes(payload);
        manager.stop();

        byte[] returned;
        try {
            returned = transfer(payload);
        } finally {
            manager.start();
        }

        assertThat(HexFormat.of().formatHex(returned)).as("SHA-256 of a transfer while the manager was stopped")
                .isEqualTo(HexFormat.of().formatHex(sha256(payload)));
        awaitTrue("flow records of the transfer made while the manager was stopped", FLOW_TIMEOUT,
                () -> closedFlows(OFFLINE_TRANSFER_BYTES).size() == 2);
        for (String node : List.of(GATEWAY, EDGE_A, EDGE_B)) {
            awaitTrue(node + " online again after the manager returned", FLOW_TIMEOUT, () -> applied(node, 0));
        }
    }

    @Test
    @Order(5)
    void deletedRuleRejectsNewConnections() throws IOException {
        long appliedA = nodeJson(EDGE_A).path("appliedRevision").asLong();
        long appliedB = nodeJson(EDGE_B).path("appliedRevision").asLong();
        HttpResponse<String> rule = api.get("/policies/rules/" + RULE_ID);
        api.expect(200, rule);
        String etag = rule.headers().firstValue("ETag")
                .orElseThrow(() -> new AssertionError("GET /policies/rules/" + RULE_ID + " returned no ETag"));

        api.expect(204, api.delete("/policies/rules/" + RULE_ID, etag));
        awaitTrue("ea applies the state without the rule", STATE_TIMEOUT, () -> applied(EDGE_A, appliedA));
        awaitTrue("eb applies the state without the rule", STATE_TIMEOUT, () -> applied(EDGE_B, appliedB));
        int acceptedBefore = server.acceptedConnections();

        String outcome = deniedConnectionOutcome();
        System.out.println("MeshIT: a connection through the connector after the rule was deleted was " + outcome);

        assertThat(outcome).as("a connection through the connector after the rule was deleted")
                .isIn("refused", "closed", "reset");
        assertThat(server.acceptedConnections()).as("connections that reached the server after the deletion")
                .isEqualTo(acceptedBefore);
        awaitTrue("a flow record of the denial at ea", FLOW_TIMEOUT, () -> !flows("&action=deny&source=" + EDGE_A)
                .isEmpty());
    }

    /**
     * ea's own check reads port {@value #UNCHECKED_SERVICE_PORT} for the second connector, which
     * the deny rule does not name, so ea lets the stream go and only eb's check, on the real
     * port, can deny it.
     */
    @Test
    @Order(6)
    void tagDenyBlocksAtDestination() throws IOException {
        int uncheckedPort = FreePorts.allocate();
        addUncheckedConnector(uncheckedPort);
        api.expect(201, api.post("/policies/rules", """
                {"id": "mesh-domain-echo", "domain": "%s", "source": "domain:%s",
                 "destination": {"service": "%s"}, "action": "allow",
                 "description": "every node of the mesh reaches the echo service"}"""
                .formatted(ROOT_DOMAIN, ROOT_DOMAIN, SERVICE)));
        api.expect(201, api.post("/policies/rules", """
                {"id": "%s", "domain": "%s", "source": "tag:quarantine",
                 "destination": {"service": "%s"}, "action": "deny", "protocol": "tcp", "ports": [%d],
                 "description": "a quarantined node reaches no echo service"}"""
                .formatted(QUARANTINE_RULE_ID, ROOT_DOMAIN, SERVICE, server.port())));
        byte[] probe = "tagged?".getBytes(StandardCharsets.US_ASCII);
        awaitTrue("a stream through the second connector before the tag", FIRST_STREAM_TIMEOUT,
                () -> transferSucceeds(probe, uncheckedPort));
        long appliedA = nodeJson(EDGE_A).path("appliedRevision").asLong();
        long appliedB = nodeJson(EDGE_B).path("appliedRevision").asLong();

        setTags(EDGE_A, "[\"quarantine\"]");
        awaitTrue("ea applies the state with its tag", STATE_TIMEOUT, () -> applied(EDGE_A, appliedA));
        awaitTrue("eb applies the state with ea's tag", STATE_TIMEOUT, () -> applied(EDGE_B, appliedB));
        int acceptedBefore = server.acceptedConnections();
        String outcome = deniedConnectionOutcome(uncheckedPort);

        assertThat(outcome).as("a connection from the tagged ea").isIn("refused", "closed", "reset");
        assertThat(server.acceptedConnections()).as("connections that reached the server from the tagged ea")
                .isEqualTo(acceptedBefore);
        awaitTrue("a flow record of the denial at eb by " + QUARANTINE_RULE_ID, FLOW_TIMEOUT,
                () -> flows("&action=deny&source=" + EDGE_A + "&destination=" + EDGE_B).stream()
                        .anyMatch(record -> record.path("end").asText().equals("destination")
                                && record.path("rule").asText().equals(QUARANTINE_RULE_ID)));

        long untagged = System.nanoTime();
        setTags(EDGE_A, "[]");
        awaitTrue("a stream from ea after its tag was removed", STATE_TIMEOUT,
                () -> transferSucceeds(probe, uncheckedPort));
        System.out.printf("MeshIT: the first stream passed %d ms after the tag was removed%n",
                (System.nanoTime() - untagged) / 1_000_000);
    }

    /** Replaces ea's profile with the echo connector and a second one that reads another service port. */
    private void addUncheckedConnector(int listenPort) {
        String profile = "/nodes/" + EDGE_A + "/profile";
        api.expect(200, api.put(profile, etag(profile), """
                {"pids": {
                  "io.weft.mesh.connector~%s": {
                    "name": {"type": "string", "value": "%s"},
                    "listenAddress": {"type": "string", "value": "127.0.0.1"},
                    "listenPort": {"type": "long", "value": %d},
                    "service": {"type": "string", "value": "%s"},
                    "node": {"type": "string", "value": "%s"},
                    "servicePort": {"type": "long", "value": %d}},
                  "io.weft.mesh.connector~%s": {
                    "name": {"type": "string", "value": "%s"},
                    "listenAddress": {"type": "string", "value": "127.0.0.1"},
                    "listenPort": {"type": "long", "value": %d},
                    "service": {"type": "string", "value": "%s"},
                    "node": {"type": "string", "value": "%s"},
                    "servicePort": {"type": "long", "value": %d}}}}"""
                .formatted(SERVICE, SERVICE, connectorPort, SERVICE, EDGE_B, server.port(), UNCHECKED_CONNECTOR,
                        UNCHECKED_CONNECTOR, listenPort, SERVICE, EDGE_B, UNCHECKED_SERVICE_PORT)));
    }

    /** Replaces the tags of the edge {@code node} with the JSON array {@code tags} through {@code PUT /nodes/{node}}. */
    private void setTags(String node, String tags) {
        api.expect(200, api.put("/nodes/" + node, etag("/nodes/" + node),
                "{\"role\": \"edge\", \"tags\": " + tags + "}"));
    }

    /** Returns the ETag of {@code GET path}, for the If-Match header of an update. */
    private String etag(String path) {
        HttpResponse<String> current = api.get(path);
        api.expect(200, current);
        return current.headers().firstValue("ETag")
                .orElseThrow(() -> new AssertionError("GET " + path + " returned no ETag"));
    }

    /** Returns the closed records of streams from ea to the echo service on eb that carried {@code bytes} to eb. */
    private List<JsonNode> closedFlows(long bytes) {
        return flows("&source=" + EDGE_A + "&destination=" + EDGE_B + "&service=" + SERVICE).stream()
                .filter(record -> record.path("event").asText().equals("closed"))
                .filter(record -> record.path("bytesToDestination").asLong() == bytes)
                .toList();
    }

    /** Returns the first page of {@code GET /flows} with the query parameters {@code query}, newest first. */
    private List<JsonNode> flows(String query) {
        JsonNode page = api.expect(200, api.get("/flows?limit=1000" + query));
        List<JsonNode> records = new ArrayList<>();
        page.path("items").forEach(records::add);
        return records;
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

    /** Returns true when the node is online and has applied its desired revision, which is above {@code after}. */
    private boolean applied(String node, long after) {
        JsonNode state = nodeJson(node);
        long appliedRevision = state.path("appliedRevision").asLong();
        return state.path("online").asBoolean() && appliedRevision > after
                && appliedRevision == state.path("desiredRevision").asLong();
    }

    private JsonNode nodeJson(String node) {
        return api.expect(200, api.get("/nodes/" + node));
    }

    private static String shellOutput(WeftInstallation node, String command) {
        return node.shell().execute(command).requireSuccess().output();
    }

    /** Runs a {@code --no-format} table command and returns its rows split at tabs, each field stripped of padding. */
    private static List<List<String>> tableRows(WeftInstallation node, String command) {
        return shellOutput(node, command).lines().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split("\t")).map(String::strip).toList()).toList();
    }

    /** Returns true when {@code weft:tunnels} on the node lists an open tunnel with the peer in that direction. */
    private static boolean tunnelsOpen(WeftInstallation node, String peer, String direction) {
        return tableRows(node, "weft:tunnels --no-format").stream().anyMatch(row -> row.size() >= 4
                && row.get(0).equals(peer) && row.get(2).equals(direction) && row.get(3).equals("open"));
    }

    /** Returns true when the payload's SHA-256 came back through the connector, and false after any I/O failure. */
    private boolean transferSucceeds(byte[] payload) {
        return transferSucceeds(payload, connectorPort);
    }

    /** Returns true when the payload's SHA-256 came back through the connector on {@code port}. */
    private boolean transferSucceeds(byte[] payload, int port) {
        try {
            return MessageDigest.isEqual(transfer(payload, port), sha256(payload));
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends the payload through the connector, half-closes, and returns the 32 bytes that come back. */
    private byte[] transfer(byte[] payload) throws IOException {
        return transfer(payload, connectorPort);
    }

    private byte[] transfer(byte[] payload, int port) throws IOException {
        try (Socket socket = connect(SOCKET_TIMEOUT, port)) {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < payload.length; offset += 64 * 1024) {
                out.write(payload, offset, Math.min(64 * 1024, payload.length - offset));
            }
            out.flush();
            socket.shutdownOutput();
            byte[] digest = socket.getInputStream().readNBytes(32);
            if (digest.length != 32) {
                throw new IOException("The connection returned " + digest.length + " bytes instead of a SHA-256");
            }
            return digest;
        }
    }

    /**
     * Opens a connection through the connector and returns how it ended: refused, closed or
     * reset, or the number of bytes returned when the stream reached the server.
     */
    private String deniedConnectionOutcome() throws IOException {
        return deniedConnectionOutcome(connectorPort);
    }

    private String deniedConnectionOutcome(int port) throws IOException {
        Socket socket;
        try {
            socket = connect(DENIAL_TIMEOUT, port);
        } catch (ConnectException e) {
            return "refused";
        } catch (SocketException e) {
            // The connector may reset an accepted connection before the client's connect call returns.
            return "reset";
        }
        try (socket) {
            try {
                socket.getOutputStream().write("denied?".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                byte[] returned = socket.getInputStream().readNBytes(32);
                return returned.length == 0 ? "closed" : returned.length + " bytes returned";
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The denied connection stayed open for " + DENIAL_TIMEOUT.toSeconds()
                        + " s instead of being closed or reset", e);
            } catch (SocketException e) {
                return "reset";
            }
        }
    }

    private Socket connect(Duration readTimeout, int port) throws IOException {
        Socket socket = new Socket();
        openSockets.add(socket);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return socket;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
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

    /**
     * A TCP server on 127.0.0.1 that reads each connection to its end, then writes the SHA-256
     * of what it read and closes. One thread per connection.
     */
    private static final class DigestServer implements AutoCloseable {

        private final ServerSocket listener;
        private final Thread acceptor;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Integer> receivedBytes = new CopyOnWriteArrayList<>();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();

        private DigestServer(ServerSocket listener) {
            this.listener = listener;
            this.acceptor = new Thread(this::acceptLoop, "mesh-it-digest-server");
            this.acceptor.setDaemon(true);
        }

        static DigestServer start() throws IOException {
            DigestServer server = new DigestServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            server.acceptor.start();
            return server;
        }

        int port() {
            return listener.getLocalPort();
        }

        int acceptedConnections() {
            return accepted.get();
        }

        List<Integer> receivedBytes() {
            return new ArrayList<>(receivedBytes);
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    accepted.incrementAndGet();
                    connections.add(connection);
                    Thread handler = new Thread(() -> digest(connection), "mesh-it-digest-" + connection.getPort());
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    if (!listener.isClosed()) {
                        System.err.println("MeshIT: the digest server failed to accept a connection: " + e);
                    }
                }
            }
        }

        private void digest(Socket connection) {
            try (connection) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                InputStream in = connection.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                int total = 0;
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    sha256.update(buffer, 0, read);
                    total += read;
                }
                receivedBytes.add(total);
                connection.getOutputStream().write(sha256.digest());
            } catch (IOException e) {
                System.err.println("MeshIT: a digest server connection failed: " + e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("The JDK has no SHA-256", e);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket connection : connections) {
                connection.close();
            }
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
