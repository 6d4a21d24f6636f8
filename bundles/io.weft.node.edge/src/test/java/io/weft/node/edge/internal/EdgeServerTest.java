package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.Operation;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationResult;
import io.weft.app.api.StreamingOperation;
import io.weft.pki.TlsContexts;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;

/**
 * The Edge API's HTTPS listener with the request handling in front of real operations: a node
 * calling with its client certificate, an API client with a token, and the limits.
 */
class EdgeServerTest {

    private static final String SERVER = "n1";
    private static final String CALLER = "n2";
    private static final String REVOKED = "n3";

    @TempDir
    static Path folder;

    private static EdgePki pki;
    private static EdgeServer server;
    private static OperationInvoker invoker;
    private static SSLContext callerTls;
    private static SSLContext revokedTls;
    private static SSLContext anonymousTls;
    private static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

    @BeforeAll
    static void startServer() throws Exception {
        pki = new EdgePki(folder);
        EdgePki.NodeCertificate self = pki.node(SERVER);
        callerTls = clientTls(pki.node(CALLER));
        EdgePki.NodeCertificate revoked = pki.node(REVOKED);
        revokedTls = clientTls(revoked);
        pki.revoked.add(revoked.chain().get(0).getSerialNumber());
        anonymousTls = TlsContexts.sslContext(null, TlsContexts.trustManager(pki.trust()), new SecureRandom());

        OperationRegistry registry = registry();
        NodeSubject serverSubject = NodeSubject.edge(SERVER + ".edge.example");
        EdgeContext context = new EdgeContext(pki.authenticator(),
                new CallAuthorizer(PolicyDocument.parse(policy()).policy(), serverSubject), serverSubject.name(),
                clientTls(self));
        // A body limit of 64 bytes, a burst of 20 calls per caller, 4 workers and 2 streams.
        EdgeSettings settings = new EdgeSettings("127.0.0.1", freePort(), 64, 30_000, 60_000, 1, 20, 4, 2);
        invoker = new OperationInvoker(settings.workerThreads(), settings.maxStreams(), Clock.systemUTC());
        EdgeApiHandler handler = new EdgeApiHandler(registry, () -> context, settings, invoker, Clock.systemUTC());
        SSLContext serverTls = TlsContexts.sslContext(TlsContexts.keyManager(self.keys().getPrivate(), self.chain()),
                TlsContexts.trustManager(pki.trust()), new SecureRandom());
        server = new EdgeServer(settings, serverTls, handler);
        server.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (invoker != null) {
            invoker.close();
        }
    }

    @Test
    void nodeCallsWithClientCertificate() throws IOException {
        Answer answer = call(callerTls, "POST", "echo/greet", null, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"caller\":\"node:n2.edge.example\",\"name\":\"Ada\"}");
    }

    @Test
    void clientCallsWithToken() throws IOException {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Bo\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("client:ci");
    }

    @Test
    void revokedNodeCannotConnect() {
        Answer answer = call(revokedTls, "POST", "echo/greet", null, "{}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(-1);
    }

    @Test
    void anonymousCallerGets401() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", null, "{}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).startsWith("{\"error\":\"unauthorized\",\"message\":");
    }

    @Test
    void oversizedBodyGets413() {
        Answer answer = call(callerTls, "POST", "echo/greet", null, "{\"name\": \"" + "x".repeat(100) + "\"}");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("payload_too_large");
    }

    @Test
    void hangingOperationGets504AndInterrupt() throws InterruptedException {
        Answer answer = call(callerTls, "POST", "echo/hang", null, "{}");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(INTERRUPTED.await(5, TimeUnit.SECONDS)).as("operation thread interrupted").isTrue();
    }

    @Test
    void appErrorKeepsStatusAndField() {
        Answer answer = call(callerTls, "POST", "echo/greet", null, "{\"name\": 5}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).isEqualTo("{\"error\":\"invalid_name\",\"message\":\"name must be text\",\"field\":\"name\"}");
    }

    @Test
    void streamWritesEvents() {
        Answer answer = call(callerTls, "GET", "echo/count", null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("event: n\ndata: 1\n\nevent: n\ndata: 2\n\n");
    }

    @Test
    void streamFailingBeforeFirstEventGetsJson() {
        Answer answer = call(callerTls, "POST", "echo/broken-stream", null, null);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body()).contains("\"error\":\"not_ready\"");
    }

    @Test
    void floodingCallerGets429() {
        String token = pki.token("flood", List.of("echo/*"));
        int status = 0;
        for (int i = 0; i < 25 && status != 429; i++) {
            status = call(anonymousTls, "POST", "echo/greet", token, "{\"name\": \"x\"}").status();
        }

        assertThat(status).as("status after a burst of 20 calls at 1 call/s").isEqualTo(429);
        assertThat(call(callerTls, "POST", "echo/greet", null, "{\"name\": \"x\"}").status())
                .as("another caller").isEqualTo(200);
    }

    @Test
    void unknownPathGets404() {
        Answer answer = call(callerTls, "POST", "echo", null, null);

        assertThat(answer.status()).isEqualTo(404);
    }

    private record Answer(int status, String body) {
    }

    private static Answer call(SSLContext tls, String method, String path, String token, String body) {
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.address().getPort() + "/api/v1/apps/"
                    + path.replaceFirst("/", "/ops/"));
            HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            connection.setHostnameVerifier((host, session) -> true);
            connection.setRequestMethod(method);
            connection.setReadTimeout(10_000);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    private static SSLContext clientTls(EdgePki.NodeCertificate node) {
        return TlsContexts.sslContext(TlsContexts.keyManager(node.keys().getPrivate(), node.chain()),
                TlsContexts.trustManager(pki.trust()), new SecureRandom());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String policy() {
        StringBuilder rules = new StringBuilder("{\"rules\": [");
        String[] operations = {"greet", "hang", "count", "broken-stream"};
        for (int i = 0; i < operations.length; i++) {
            rules.append(i == 0 ? "" : ",").append("""
                    {"id": "R%d", "domain": "edge.example", "source": {"anyOf": ["node:n2.edge.example", "client:ci", "client:flood"]},
                     "destination": {"operation": "echo/%s"}, "action": "allow"}""".formatted(i, operations[i]));
        }
        return rules.append("]}").toString();
    }

    private static OperationRegistry registry() {
        OperationRegistry registry = new OperationRegistry();
        Operation greet = request -> {
            Object name = request.jsonObject().get("name");
            if (!(name instanceof String)) {
                throw new OperationException(422, "invalid_name", "name must be text", "name");
            }
            return OperationResult.ok(new TreeMap<>(Map.of("name", name,
                    "caller", request.caller().toString())));
        };
        Operation hang = request -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                INTERRUPTED.countDown();
            }
            return OperationResult.noContent();
        };
        StreamingOperation count = (request, events) -> {
            events.send("n", 1);
            events.send("n", 2);
        };
        StreamingOperation broken = (request, events) -> {
            throw new OperationException(409, "not_ready", "the sensor is not ready", null);
        };
        registry.add(properties(1, "greet", false, 0), false, greet, null);
        registry.add(properties(2, "hang", false, 300), false, hang, null);
        registry.add(properties(3, "count", true, 0), true, null, count);
        registry.add(properties(4, "broken-stream", false, 0), true, null, broken);
        return registry;
    }

    private static Map<String, Object> properties(long serviceId, String operation, boolean safe, long timeoutMillis) {
        return Map.of("service.id", serviceId, EdgeOperation.PROPERTY_APP, "echo",
                EdgeOperation.PROPERTY_OPERATION, operation, EdgeOperation.PROPERTY_SAFE, safe,
                EdgeOperation.PROPERTY_ALLOW, new String[] {"node:n2.edge.example", "client:ci", "client:flood"},
                EdgeOperation.PROPERTY_TIMEOUT_MILLIS, timeoutMillis);
    }
}
