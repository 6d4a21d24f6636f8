package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
import io.weft.systemtest.harness.KarafConfigFile;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * Edge API calls across the mesh on the real distributions: a manager, a gateway gw1 and two
 * edges, ea and eb, in sibling domains. The example apps come from the manager's repository:
 * hello runs on eb and gw1, sensor-feed on eb. An API client calls ea, which runs neither, so ea
 * forwards each call through the mesh to the nearest node that runs the app: eb, then gw1.
 *
 * <p>The tests share the installations and run in order; the last one stops eb.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WeftSystemTestExtension.class)
class EdgeApiMeshIT {

    private static final String ROOT = "xm.example";
    private static final String GATEWAY = "gw1.gw.xm.example";
    private static final String EDGE_A = "ea.a.xm.example";
    private static final String EDGE_B = "eb.b.xm.example";
    private static final String CLIENT = "hello-client";
    private static final String DENY_RULE = "mesh-deny-greet-on-eb";
    private static final String JAR = "application/java-archive";
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    /** Edges dial the gateway again with a backoff of up to 30 s, and deployments take a download each. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private ManagerApi api;
    private WeftInstallation manager;
    private WeftInstallation edgeA;
    private WeftInstallation edgeB;
    private int edgePortA;
    private SSLContext tls;
    private String token;

    @BeforeAll
    void startFleet(WeftInstallations installations) throws IOException, GeneralSecurityException {
        manager = installations.create(Distribution.MANAGER);
        WeftInstallation gateway = installations.create(Distribution.NODE);
        edgeA = installations.create(Distribution.NODE);
        edgeB = installations.create(Distribution.NODE);
        edgePortA = FreePorts.allocate();
        for (WeftInstallation node : List.of(gateway, edgeA, edgeB)) {
            int port = node == edgeA ? edgePortA : FreePorts.allocate();
            KarafConfigFile.set(node.etc().resolve("io.weft.node.edge.cfg"), "port", Integer.toString(port));
        }
        startTogether(List.of(manager, gateway, edgeA, edgeB));
        api = new ManagerApi(manager);
        tls = trustingRoot(manager.home().resolve("data/weft/ca/root-ca.pem"));

        for (String domain : List.of(ROOT, "gw.xm.example", "a.xm.example", "b.xm.example")) {
            api.expect(201, api.post("/domains", "{\"name\": \"" + domain + "\"}"));
        }
        enroll(gateway, GATEWAY, "gateway");
        enroll(edgeA, EDGE_A, "edge");
        enroll(edgeB, EDGE_B, "edge");
        configureMesh();
        allowClient("hello/greet");
        allowClient("sensor-feed/readings");
        deploy("hello", "io.weft.examples.hello", List.of(EDGE_B, GATEWAY));
        deploy("sensor-feed", "io.weft.examples.sensor-feed", List.of(EDGE_B));
        token = api.expect(200, api.post("/api-clients/" + CLIENT + "/tokens",
                "{\"scopes\": [\"hello/*\", \"sensor-feed/*\"], \"expiresInSeconds\": 1800}")).path("token").asText();
    }

    @Test
    @Order(1)
    void greetOnEdgeBThroughEdgeA() {
        awaitTrue("hello/greet on ea answered by eb", READY_TIMEOUT, () -> greet().servedBy().equals(EDGE_B));

        Answer answer = greet();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("Hello, Ada!").contains("client:" + CLIENT);
        assertThat(answer.servedBy()).isEqualTo(EDGE_B);
    }

    @Test
    @Order(2)
    void forwardedCallRecordedAtBothEnds() {
        Answer answer = greet();
        JsonNode atDestination = CallFlowRecords.await(api, "greet on eb", Map.of("operation", "greet",
                "caller", "client:" + CLIENT), flow -> flow.path("end").asText().equals("destination")
                        && flow.path("status").asInt() == 200);
        JsonNode atForwarder = CallFlowRecords.await(api, "greet forwarded by ea", Map.of("operation", "greet",
                "caller", "client:" + CLIENT), flow -> flow.path("end").asText().equals("source")
                        && flow.path("status").asInt() == 200);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(atDestination.path("via").asText()).isEqualTo(EDGE_A);
        assertThat(atDestination.path("source").asText()).as("where the call entered").isEqualTo(EDGE_A);
        assertThat(atDestination.path("destination").asText()).isEqualTo(EDGE_B);
        assertThat(atDestination.path("rule").asText()).isEqualTo("mesh-hello-greet");
        assertThat(atForwarder.path("via").isNull()).as("via at the forwarder").isTrue();
        assertThat(atForwarder.path("destination").asText()).isEqualTo(EDGE_B);
        assertThat(atForwarder.path("rule").asText()).isEqualTo("mesh-hello-greet");
    }

    @Test
    @Order(3)
    void readingsStreamAcrossMesh() {
        Answer answer = call("GET", "sensor-feed/readings?count=2", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        assertThat(answer.servedBy()).isEqualTo(EDGE_B);
        assertThat(answer.body().split("event: reading", -1)).as("readings in %s", answer.body()).hasSize(3);
    }

    @Test
    @Order(4)
    void policyOnEdgeBDeniesWhatEdgeAAllows() throws IOException {
        long applied = appliedRevision(EDGE_B);
        api.expect(201, api.post("/policies/rules", """
                {"id": "%s", "domain": "b.xm.example", "source": "client:%s",
                 "destination": {"operation": "hello/greet", "nodes": "node:%s"}, "action": "deny",
                 "description": "eb serves no greeting to the API client"}""".formatted(DENY_RULE, CLIENT, EDGE_B)));
        awaitTrue("eb applies the deny rule", STATE_TIMEOUT, () -> appliedRevision(EDGE_B) > applied);

        Answer answer = greet();

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.servedBy()).isEqualTo(EDGE_B);
        assertThat(answer.body()).contains("The policy denies the call").contains(DENY_RULE);
        assertThat(Files.readString(edgeB.karafLog())).as("flow record on eb")
                .contains("deny client:" + CLIENT + " via node:" + EDGE_A + " -> hello/greet");
        JsonNode denial = CallFlowRecords.await(api, "the denial on eb", Map.of("operation", "greet",
                "caller", "client:" + CLIENT), flow -> flow.path("event").asText().equals("denied"));
        assertThat(denial.path("via").asText()).isEqualTo(EDGE_A);
        assertThat(denial.path("rule").asText()).isEqualTo(DENY_RULE);
        assertThat(denial.path("status").asInt()).isEqualTo(403);
        HttpResponse<String> rule = api.get("/policies/rules/" + DENY_RULE);
        api.expect(204, api.delete("/policies/rules/" + DENY_RULE, rule.headers().firstValue("ETag").orElse("*")));
        awaitTrue("greet allowed again once eb applied the deletion", STATE_TIMEOUT,
                () -> greet().status() == 200);
    }

    @Test
    @Order(5)
    void stoppedNodeFailsOverToNextNearest() {
        edgeB.stop();

        Answer answer = greet();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.servedBy()).as("node after eb, which is stopped").isEqualTo(GATEWAY);
        assertThat(answer.body()).contains("Hello, Ada!");
    }

    private Answer greet() {
        return call("POST", "hello/greet", "{\"name\": \"Ada\"}");
    }

    private void configureMesh() {
        int meshPort = FreePorts.allocate();
        // The gateway would otherwise inherit the root's gateways entry and dial itself.
        api.expect(201, api.put("/nodes/" + GATEWAY + "/profile", null, """
                {"pids": {"io.weft.mesh": {
                  "listenAddress": {"type": "string", "value": "127.0.0.1"},
                  "listenPort": {"type": "long", "value": %d},
                  "gateways": {"remove": true}}}}""".formatted(meshPort)));
        api.expect(201, api.put("/domains/" + ROOT + "/profile", null, """
                {"pids": {"io.weft.mesh": {
                  "gateways": {"type": "string[]", "value": ["%s@127.0.0.1:%d"]}}}}""".formatted(GATEWAY, meshPort)));
    }

    /**
     * Allows the API client to call an operation on every node. The rule names every node as a
     * destination, so it concerns ea too, whose own check before forwarding needs it.
     */
    private void allowClient(String operation) {
        api.expect(201, api.post("/policies/rules", """
                {"id": "mesh-%s", "domain": "%s", "source": "client:%s",
                 "destination": {"operation": "%s", "nodes": "domain:%s"}, "action": "allow"}"""
                .formatted(operation.replace('/', '-'), ROOT, CLIENT, operation, ROOT)));
    }

    private void deploy(String example, String app, List<String> nodes) throws IOException {
        JsonNode uploaded = api.expect(201, api.postBytes("/apps", JAR, Files.readAllBytes(exampleJar(example))));
        String targets = String.join("\", \"", nodes);
        api.expect(201, api.post("/deployments", "{\"id\": \"" + example + "\", \"app\": \"" + app
                + "\", \"version\": \"" + uploaded.path("version").asText() + "\", \"target\": {\"nodes\": [\""
                + targets + "\"]}}"));
    }

    private void enroll(WeftInstallation installation, String fullName, String role) {
        int dot = fullName.indexOf('.');
        api.expect(201, api.post("/nodes", "{\"name\": \"" + fullName.substring(0, dot) + "\", \"domain\": \""
                + fullName.substring(dot + 1) + "\", \"role\": \"" + role + "\"}"));
        String enrollment = api.expect(201, api.post("/nodes/" + fullName + "/enrollment-tokens", "{}"))
                .path("token").asText();

        ShellResult enrolled = installation.shell().execute("weft:enroll " + enrollment);

        assertThat(enrolled.exitStatus()).as("weft:enroll %s: %s %s", fullName, enrolled.output(), enrolled.error())
                .isZero();
    }

    private long appliedRevision(String node) {
        return api.expect(200, api.get("/nodes/" + node)).path("appliedRevision").asLong();
    }

    private record Answer(int status, String body, String servedBy, String contentType) {
    }

    private Answer call(String method, String path, String body) {
        try {
            URI uri = URI.create("https://127.0.0.1:" + edgePortA + "/api/v1/apps/" + path.replaceFirst("/", "/ops/"));
            HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            // ea's certificate names ea, not 127.0.0.1; the trust store holds only the Weft root.
            connection.setHostnameVerifier((host, session) -> true);
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) CALL_TIMEOUT.toMillis());
            connection.setReadTimeout((int) CALL_TIMEOUT.toMillis());
            connection.setRequestProperty("Authorization", "Bearer " + token);
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String servedBy = connection.getHeaderField("Weft-Served-By");
            return new Answer(status, text, servedBy == null ? "" : servedBy, String.valueOf(
                    connection.getContentType()));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), "", "");
        }
    }

    /** Launches every distribution before waiting for any, so their starts overlap. */
    private static void startTogether(List<WeftInstallation> installations) {
        installations.forEach(WeftInstallation::launch);
        for (WeftInstallation installation : installations) {
            installation.awaitReady();
            installation.awaitSshPort(Duration.ofSeconds(60));
        }
    }

    /** Returns the example app's jar that the reactor built into examples/NAME/target. */
    private static Path exampleJar(String name) throws IOException {
        Path target = Path.of("..", "examples", name, "target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, name + "-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new AssertionError("No jar in " + target.toAbsolutePath() + ": build the examples first with mvn install");
    }

    private static SSLContext trustingRoot(Path rootPem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(rootPem)) {
            trust.setCertificateEntry("weft-root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static void awaitTrue(String description, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for: " + description);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + description, e);
            }
        }
    }
}
