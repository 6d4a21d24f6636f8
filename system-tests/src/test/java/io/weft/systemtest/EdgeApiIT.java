package io.weft.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.pki.CertificationRequests;
import io.weft.pki.KeyPairs;
import io.weft.pki.Pem;
import io.weft.pki.TlsContexts;
import io.weft.systemtest.harness.Distribution;
import io.weft.systemtest.harness.FreePorts;
import io.weft.systemtest.harness.KarafConfigFile;
import io.weft.systemtest.harness.ManagerApi;
import io.weft.systemtest.harness.ShellResult;
import io.weft.systemtest.harness.WeftInstallation;
import io.weft.systemtest.harness.WeftInstallations;
import io.weft.systemtest.harness.WeftSystemTestExtension;

/**
 * The Edge API on real distributions: a manager and an enrolled node, with the example apps
 * hello and sensor-feed installed through {@code bundle:install}, called over HTTPS with tokens
 * that the manager issues. The policy allows the client {@value #CLIENT} every operation but
 * {@code hello/info}, which the app allows, so that call shows a denial by the policy. Two more
 * nodes, {@value #PEER} and {@value #REVOKED_PEER}, enroll through the REST API with keys of this
 * test, which then calls with their certificates as another node would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WeftSystemTestExtension.class)
class EdgeApiIT {

    private static final String DOMAIN = "edge.example";
    private static final String NODE = "n1.edge.example";
    private static final String CLIENT = "hello-client";
    private static final String PEER = "n2.edge.example";
    private static final String REVOKED_PEER = "n3.edge.example";
    /** A node with the tag quarantine, which a domain-level rule allows and a deny by tag blocks. */
    private static final String QUARANTINED_PEER = "n4.edge.example";
    private static final List<String> ALLOWED_OPERATIONS = List.of("hello/greet", "hello/wait", "hello/fail",
            "sensor-feed/readings");
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManagerApi api;
    private WeftInstallation node;
    private SSLContext tls;
    private SSLContext peerTls;
    private SSLContext revokedPeerTls;
    private SSLContext quarantinedPeerTls;
    private int edgePort;
    private String token;

    @BeforeAll
    void startNodeWithApps(WeftInstallations installations) throws IOException, GeneralSecurityException {
        WeftInstallation manager = installations.create(Distribution.MANAGER);
        node = installations.create(Distribution.NODE);
        edgePort = FreePorts.allocate();
        KarafConfigFile.set(node.etc().resolve("io.weft.node.edge.cfg"), "port", Integer.toString(edgePort));
        manager.launch();
        node.launch();
        for (WeftInstallation installation : List.of(manager, node)) {
            installation.awaitReady();
            installation.awaitSshPort(Duration.ofSeconds(60));
        }
        api = new ManagerApi(manager);
        tls = trustingRoot(manager.home().resolve("data/weft/ca/root-ca.pem"));

        api.expect(201, api.post("/domains", "{\"name\": \"" + DOMAIN + "\"}"));
        enroll(node);
        for (String operation : ALLOWED_OPERATIONS) {
            api.expect(201, api.post("/policies/rules", """
                    {"id": "edge-%s", "domain": "%s", "source": "client:%s",
                     "destination": {"operation": "%s", "nodes": "node:%s"}, "action": "allow"}"""
                    .formatted(operation.replace('/', '-'), DOMAIN, CLIENT, operation, NODE)));
        }
        api.expect(201, api.post("/policies/rules", """
                {"id": "edge-peers-greet", "domain": "%s", "source": {"anyOf": ["node:%s", "node:%s"]},
                 "destination": {"operation": "hello/greet", "nodes": "node:%s"}, "action": "allow"}"""
                .formatted(DOMAIN, PEER, REVOKED_PEER, NODE)));
        api.expect(201, api.post("/policies/rules", """
                {"id": "edge-domain-greet", "domain": "%s", "source": "domain:%s",
                 "destination": {"operation": "hello/greet", "nodes": "node:%s"}, "action": "allow"}"""
                .formatted(DOMAIN, DOMAIN, NODE)));
        api.expect(201, api.post("/policies/rules", """
                {"id": "edge-quarantine", "domain": "%s", "source": "tag:quarantine",
                 "destination": {"operation": "hello/greet"}, "action": "deny"}""".formatted(DOMAIN)));
        X509Certificate root = Pem.readCertificate(Files.readString(manager.home().resolve("data/weft/ca/root-ca.pem")));
        peerTls = enrollPeer(PEER, root);
        revokedPeerTls = enrollPeer(REVOKED_PEER, root);
        quarantinedPeerTls = enrollPeer(QUARANTINED_PEER, root, "[\"quarantine\"]");
        api.expect(200, api.post("/nodes/" + REVOKED_PEER + "/revoke", "{\"reason\": \"key_compromise\"}"));
        install(node, exampleJar("hello"));
        install(node, exampleJar("sensor-feed"));
        token = issueToken(CLIENT, "[\"hello/*\", \"sensor-feed/*\"]", 600);
        awaitTrue("node applied the policy", STATE_TIMEOUT, this::stateApplied);
        awaitTrue("the Edge API serves hello/greet", CALL_TIMEOUT,
                () -> call("POST", "hello/greet", token, "{\"name\": \"Ada\"}").status() == 200);
    }

    @Test
    void greetReturnsGreeting() {
        Answer answer = call("POST", "hello/greet", token, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as("status of greet: %s", answer.body()).isEqualTo(200);
        assertThat(answer.json().path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(answer.json().path("caller").asText()).isEqualTo("client:" + CLIENT);
    }

    @Test
    void operationsCommandListsApps() {
        ShellResult result = node.shell().execute("weft:operations --no-format");

        assertThat(result.exitStatus()).as("weft:operations: %s %s", result.output(), result.error()).isZero();
        assertThat(result.output()).contains("hello/greet").contains("hello/info").contains("sensor-feed/readings");
    }

    @Test
    void nodeCallsWithCertificate() {
        Answer answer = call(peerTls, "POST", "hello/greet", null, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as("status of greet: %s", answer.body()).isEqualTo(200);
        assertThat(answer.json().path("caller").asText()).isEqualTo("node:" + PEER);
    }

    @Test
    void taggedNodeDeniedByTagRule() {
        // The node applies the peer directory with n4's tag in the state that follows n4's creation.
        awaitTrue("a call from the quarantined n4 denied", STATE_TIMEOUT,
                () -> call(quarantinedPeerTls, "POST", "hello/greet", null, "{}").status() == 403);

        Answer answer = call(quarantinedPeerTls, "POST", "hello/greet", null, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as("status of greet: %s", answer.body()).isEqualTo(403);
        assertThat(answer.json().path("message").asText()).contains("edge-quarantine");
    }

    @Test
    void revokedNodeCannotConnect() {
        Answer answer = call(revokedPeerTls, "POST", "hello/greet", null, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as("outcome: %s", answer.body()).isEqualTo(-1);
    }

    @Test
    void readingsStreamServerSentEvents() throws IOException {
        HttpsURLConnection connection = open("GET", "sensor-feed/readings?count=3", token);

        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThat(connection.getContentType()).startsWith("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }

        assertThat(lines).filteredOn(line -> line.equals("event: reading")).hasSize(3);
        assertThat(lines).filteredOn(line -> line.startsWith("data: ")).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("\"sensor\":\"temperature-1\""));
        assertThat(lines.get(1)).contains("\"sequence\":1");
    }

    @Test
    void malformedJsonGets400() {
        Answer answer = call("POST", "hello/greet", token, "{\"name\": ");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_json");
    }

    @Test
    void missingFieldGets400WithField() {
        Answer answer = call("POST", "hello/greet", token, "{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("field").asText()).isEqualTo("name");
    }

    @Test
    void throwingOperationGets500() {
        Answer answer = call("POST", "hello/fail", token, "{}");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.json().path("error").asText()).isEqualTo("operation_failed");
        assertThat(answer.body()).doesNotContain("always fails");
    }

    @Test
    void hangingOperationGets504() {
        Answer answer = call("POST", "hello/wait", token, "{\"millis\": 10000}");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().path("error").asText()).isEqualTo("deadline_exceeded");
    }

    @Test
    void unsafeOperationRejectsGet() {
        Answer answer = call("GET", "hello/greet", token, null);

        assertThat(answer.status()).isEqualTo(405);
    }

    @Test
    void missingTokenGets401() {
        Answer answer = call("POST", "hello/greet", null, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void expiredTokenGets401() throws InterruptedException {
        String shortLived = issueToken(CLIENT, "[\"hello/*\"]", 1);
        Thread.sleep(2_100);

        Answer answer = call("POST", "hello/greet", shortLived, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("message").asText()).contains("expired");
    }

    @Test
    void outOfScopeTokenGets403() {
        String feedOnly = issueToken(CLIENT, "[\"sensor-feed/readings\"]", 600);

        Answer answer = call("POST", "hello/greet", feedOnly, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("message").asText()).contains("not scoped to hello/greet");
    }

    @Test
    void tamperedTokenGets401() {
        int signatureEnd = token.lastIndexOf('.');
        String tail = token.substring(signatureEnd - 8, signatureEnd);
        String tampered = token.substring(0, signatureEnd - 8) + (tail.equals("AAAAAAAA") ? "BBBBBBBB" : "AAAAAAAA")
                + token.substring(signatureEnd);

        Answer answer = call("POST", "hello/greet", tampered, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void tokenNamesSignerByKeyId() {
        String[] parts = token.split("\\.");

        assertThat(parts).hasSize(4);
        assertThat(parts[3]).hasSize(43);
        assertThat(token.length()).isLessThan(600);
    }

    @Test
    void unknownKeyIdGets401() {
        String foreign = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);

        Answer answer = call("POST", "hello/greet", foreign, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("not the signer");
    }

    @Test
    void policyDenialNamesFlow() {
        Answer answer = call("GET", "hello/info", token, null);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("message").asText())
                .contains("no rule allows client:" + CLIENT + " to reach hello/info on node:" + NODE);
    }

    @Test
    void appDeclarationDeniesOtherClient() {
        String other = issueToken("other-client", "[\"hello/*\"]", 600);

        Answer answer = call("POST", "hello/greet", other, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("message").asText()).contains("does not allow client:other-client");
    }

    @Test
    void callAndDenialAppearInFlowRecords() {
        Answer allowed = call("POST", "hello/greet", token, "{\"name\": \"Flow records\"}");
        Answer denied = call(quarantinedPeerTls, "POST", "hello/greet", null, "{\"name\": \"Flow records\"}");

        JsonNode allowedRecord = CallFlowRecords.await(api, "the allowed greet",
                Map.of("app", "hello", "operation", "greet", "caller", "client:" + CLIENT),
                flow -> flow.path("bytesToDestination").asLong() == "{\"name\": \"Flow records\"}".length());
        JsonNode deniedRecord = CallFlowRecords.await(api, "the denied greet",
                Map.of("operation", "greet", "caller", "node:" + QUARANTINED_PEER), flow -> true);

        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(denied.status()).as(denied.body()).isEqualTo(403);
        assertThat(allowedRecord.path("kind").asText()).isEqualTo("call");
        assertThat(allowedRecord.path("event").asText()).isEqualTo("closed");
        assertThat(allowedRecord.path("app").asText()).isEqualTo("hello");
        assertThat(allowedRecord.path("operation").asText()).isEqualTo("greet");
        assertThat(allowedRecord.path("caller").asText()).isEqualTo("client:" + CLIENT);
        assertThat(allowedRecord.path("rule").asText()).isEqualTo("edge-hello-greet");
        assertThat(allowedRecord.path("status").asInt()).isEqualTo(200);
        assertThat(allowedRecord.path("destination").asText()).isEqualTo(NODE);
        assertThat(allowedRecord.path("via").isNull()).as("via of a direct call").isTrue();
        assertThat(deniedRecord.path("event").asText()).isEqualTo("denied");
        assertThat(deniedRecord.path("action").asText()).isEqualTo("deny");
        assertThat(deniedRecord.path("app").asText()).isEqualTo("hello");
        assertThat(deniedRecord.path("rule").asText()).isEqualTo("edge-quarantine");
        assertThat(deniedRecord.path("status").asInt()).isEqualTo(403);
        assertThat(deniedRecord.path("source").asText()).as("the calling node").isEqualTo(QUARANTINED_PEER);
    }

    @Test
    void flowsCommandShowsCalls() {
        call("POST", "hello/greet", token, "{\"name\": \"Shell\"}");

        ShellResult result = node.shell().execute("weft:flows --no-format");

        assertThat(result.exitStatus()).as("weft:flows: %s %s", result.output(), result.error()).isZero();
        assertThat(result.output()).contains("hello/greet").contains("client:" + CLIENT).contains("edge-hello-greet");
    }

    @Test
    void unknownOperationGets404() {
        Answer answer = call("POST", "hello/missing", token, "{}");

        assertThat(answer.status()).isEqualTo(404);
    }

    private void enroll(WeftInstallation node) {
        api.expect(201, api.post("/nodes", "{\"name\": \"n1\", \"domain\": \"" + DOMAIN + "\", \"role\": \"edge\"}"));
        String enrollment = api.expect(201, api.post("/nodes/" + NODE + "/enrollment-tokens", "{}")).path("token")
                .asText();

        ShellResult enrolled = node.shell().execute("weft:enroll " + enrollment);

        assertThat(enrolled.exitStatus()).as("weft:enroll: %s %s", enrolled.output(), enrolled.error()).isZero();
    }

    /** Enrolls a node record with a key of this test and returns a TLS context with its certificate. */
    private SSLContext enrollPeer(String fullName, X509Certificate root) {
        return enrollPeer(fullName, root, "[]");
    }

    /** Creates and enrolls an edge node with the JSON array {@code tags}, and returns a TLS context with its key. */
    private SSLContext enrollPeer(String fullName, X509Certificate root, String tags) {
        int dot = fullName.indexOf('.');
        api.expect(201, api.post("/nodes", "{\"name\": \"" + fullName.substring(0, dot) + "\", \"domain\": \""
                + DOMAIN + "\", \"role\": \"edge\", \"tags\": " + tags + "}"));
        String enrollment = api.expect(201, api.post("/nodes/" + fullName + "/enrollment-tokens", "{}")).path("token")
                .asText();
        KeyPair keys = KeyPairs.generateNodeKeyPair(new SecureRandom());
        String csr = CertificationRequests.create(keys, fullName, new SecureRandom());

        JsonNode enrolled = api.expect(200, api.postAnonymous("/enroll", "{\"token\": " + ManagerApi.quote(enrollment)
                + ", \"csr\": " + ManagerApi.quote(csr) + "}"));

        List<X509Certificate> chain = new ArrayList<>();
        enrolled.path("certificateChain").forEach(pem -> chain.addAll(Pem.readCertificates(pem.asText())));
        return TlsContexts.sslContext(TlsContexts.keyManager(keys.getPrivate(), chain),
                TlsContexts.trustManager(root, Set::of, Clock.systemUTC()), new SecureRandom());
    }

    private static void install(WeftInstallation node, Path jar) {
        ShellResult installed = node.shell().execute("bundle:install -s file:" + jar.toAbsolutePath());

        assertThat(installed.exitStatus()).as("bundle:install %s: %s %s", jar, installed.output(), installed.error())
                .isZero();
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

    private String issueToken(String client, String scopes, long expiresInSeconds) {
        return api.expect(200, api.post("/api-clients/" + client + "/tokens",
                "{\"scopes\": " + scopes + ", \"expiresInSeconds\": " + expiresInSeconds + "}")).path("token").asText();
    }

    private boolean stateApplied() {
        JsonNode state = api.expect(200, api.get("/nodes/" + NODE));
        long applied = state.path("appliedRevision").asLong();
        return state.path("online").asBoolean() && applied > 0 && applied == state.path("desiredRevision").asLong();
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("The body is not JSON: " + body, e);
            }
        }
    }

    private Answer call(String method, String path, String bearer, String body) {
        return call(tls, method, path, bearer, body);
    }

    private Answer call(SSLContext context, String method, String path, String bearer, String body) {
        try {
            HttpsURLConnection connection = open(context, method, path, bearer);
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
            return new Answer(status, text);
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    private HttpsURLConnection open(String method, String path, String bearer) throws IOException {
        return open(tls, method, path, bearer);
    }

    private HttpsURLConnection open(SSLContext context, String method, String path, String bearer)
            throws IOException {
        URI uri = URI.create("https://127.0.0.1:" + edgePort + "/api/v1/apps/" + path.replaceFirst("/", "/ops/"));
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        // The node's certificate names the node, not 127.0.0.1, so the check is on the node's name.
        connection.setHostnameVerifier((host, session) -> presentsNodeName(session));
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) CALL_TIMEOUT.toMillis());
        connection.setReadTimeout((int) CALL_TIMEOUT.toMillis());
        if (bearer != null) {
            connection.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        return connection;
    }

    private static boolean presentsNodeName(javax.net.ssl.SSLSession session) {
        try {
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            return leaf.getSubjectAlternativeNames().stream().anyMatch(name -> NODE.equals(name.get(1)));
        } catch (SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
            return false;
        }
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
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + description, e);
            }
        }
    }
}
