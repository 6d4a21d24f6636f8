package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
import io.weft.control.FlowRecord;
import io.weft.pki.TlsContexts;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;

/**
 * The flow records of calls that the Edge API serves itself, from a real HTTPS listener,
 * handler and {@link CallRunner} into a sink that checks each record against the control
 * protocol. Each test sends a body of its own length, by which it finds its record.
 */
class CallFlowRecordsTest {

    private static final String SERVER = "n1.edge.example";
    private static final String CALLER = "n2.edge.example";

    @TempDir
    static Path folder;

    private static EdgePki pki;
    private static EdgeServer server;
    private static OperationInvoker invoker;
    private static SSLContext callerTls;
    private static SSLContext anonymousTls;
    private static final RecordingFlowSink SINK = new RecordingFlowSink();

    @BeforeAll
    static void startServer() throws Exception {
        pki = new EdgePki(folder);
        EdgePki.NodeCertificate self = pki.node("n1");
        callerTls = tls(pki.node("n2"));
        anonymousTls = TlsContexts.sslContext(null, TlsContexts.trustManager(pki.trust()), new SecureRandom());

        NodeSubject serverSubject = NodeSubject.edge(SERVER);
        EdgeContext context = new EdgeContext(pki.authenticator(),
                new CallAuthorizer(PolicyDocument.parse(POLICY).policy(), serverSubject), serverSubject.name(),
                tls(self));
        EdgeSettings settings = new EdgeSettings("127.0.0.1", freePort(), 1024, 30_000, 60_000, 100, 100, 4, 2);
        invoker = new OperationInvoker(settings.workerThreads(), settings.maxStreams(), Clock.systemUTC());
        EdgeApiHandler handler = new EdgeApiHandler(registry(), () -> context, settings, invoker, Clock.systemUTC(),
                () -> AppLocations.NONE, new CallForwarder(new RemoteEdgeApi(() -> null), 1), SINK::record);
        server = new EdgeServer(settings, tls(self), handler);
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
    void allowedCallRecordedWithRuleAndBytes() throws Exception {
        String body = "{\"name\": \"Ada\"}";

        Answer answer = call(callerTls, "POST", "greet", null, body);
        FlowRecord record = SINK.await("of greet with " + body.length() + " request bytes",
                flow -> "greet".equals(flow.operation()) && flow.bytesToDestination() == body.length());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(record.kind()).isEqualTo(FlowRecord.Kind.CALL);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.CLOSED);
        assertThat(record.action()).isEqualTo(FlowRecord.Action.ALLOW);
        assertThat(record.end()).isEqualTo(FlowRecord.End.DESTINATION);
        assertThat(record.app()).isEqualTo("echo");
        assertThat(record.caller()).isEqualTo("node:" + CALLER);
        assertThat(record.via()).isNull();
        assertThat(record.source()).as("the calling node").isEqualTo(CALLER);
        assertThat(record.destination()).isEqualTo(SERVER);
        assertThat(record.service()).isEqualTo("edge-api");
        assertThat(record.port()).isZero();
        assertThat(record.rule()).isEqualTo("R-greet");
        assertThat(record.status()).isEqualTo(200);
        assertThat(record.bytesToSource()).as("response body bytes").isEqualTo(answer.body().length());
    }

    @Test
    void appErrorRecordedAsClosedWithStatus() throws Exception {
        String body = "{\"name\": 1234567890}";

        Answer answer = call(callerTls, "POST", "greet", null, body);
        FlowRecord record = SINK.await("of greet with " + body.length() + " request bytes",
                flow -> "greet".equals(flow.operation()) && flow.bytesToDestination() == body.length());

        assertThat(answer.status()).isEqualTo(422);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.CLOSED);
        assertThat(record.status()).isEqualTo(422);
        assertThat(record.rule()).isEqualTo("R-greet");
    }

    @Test
    void unauthenticatedCallRecordedAsDenied() throws Exception {
        Answer answer = call(anonymousTls, "POST", "greet", null, "{}");
        FlowRecord record = SINK.await("with status 401", flow -> Integer.valueOf(401).equals(flow.status()));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.DENIED);
        assertThat(record.action()).isEqualTo(FlowRecord.Action.DENY);
        assertThat(record.caller()).as("no authenticated caller").isNull();
        assertThat(record.operation()).isEqualTo("greet");
        assertThat(record.source()).as("the node that received the call").isEqualTo(SERVER);
        assertThat(record.rule()).isNull();
    }

    @Test
    void policyDenialRecordedWithRule() throws Exception {
        Answer answer = call(anonymousTls, "POST", "greet", pki.token("blocked", List.of("echo/*")), "{}");
        FlowRecord record = SINK.await("of client:blocked", flow -> "client:blocked".equals(flow.caller()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.DENIED);
        assertThat(record.status()).isEqualTo(403);
        assertThat(record.rule()).isEqualTo("D-blocked");
        assertThat(record.source()).as("an API client enters at this node").isEqualTo(SERVER);
    }

    @Test
    void appDeclarationDenialRecordedWithoutRule() throws Exception {
        Answer answer = call(anonymousTls, "POST", "greet", pki.token("stranger", List.of("echo/*")), "{}");
        FlowRecord record = SINK.await("of client:stranger", flow -> "client:stranger".equals(flow.caller()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.DENIED);
        assertThat(record.rule()).as("the app's declaration denied before the policy").isNull();
    }

    @Test
    void streamRecordedWhenItEnds() throws Exception {
        Answer answer = call(callerTls, "GET", "count", null, null);
        FlowRecord record = SINK.await("of count", flow -> "count".equals(flow.operation()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.CLOSED);
        assertThat(record.status()).isEqualTo(200);
        assertThat(record.bytesToSource()).as("event bytes").isEqualTo(answer.body().length());
    }

    @Test
    void deadlineRecordedAs504() throws Exception {
        Answer answer = call(callerTls, "POST", "hang", null, "{}");
        FlowRecord record = SINK.await("of hang", flow -> "hang".equals(flow.operation()));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.CLOSED);
        assertThat(record.status()).isEqualTo(504);
    }

    private static final String POLICY = """
            {"rules": [
             {"id": "D-blocked", "domain": "edge.example", "source": "client:blocked",
              "destination": {"operation": "echo/greet"}, "action": "deny"},
             {"id": "R-greet", "domain": "edge.example", "source": {"anyOf": ["node:n2.edge.example", "client:ci"]},
              "destination": {"operation": "echo/greet"}, "action": "allow"},
             {"id": "R-hang", "domain": "edge.example", "source": "node:n2.edge.example",
              "destination": {"operation": "echo/hang"}, "action": "allow"},
             {"id": "R-count", "domain": "edge.example", "source": "node:n2.edge.example",
              "destination": {"operation": "echo/count"}, "action": "allow"}]}""";

    private static OperationRegistry registry() {
        OperationRegistry registry = new OperationRegistry();
        Operation greet = request -> {
            Object name = request.jsonObject().get("name");
            if (!(name instanceof String)) {
                throw new OperationException(422, "invalid_name", "name must be text", "name");
            }
            return OperationResult.ok(new TreeMap<>(Map.of("name", name)));
        };
        Operation hang = request -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OperationResult.noContent();
        };
        StreamingOperation count = (request, events) -> {
            events.send("n", 1);
            events.send("n", 2);
        };
        registry.add(properties(1, "greet", false, 0), false, greet, null);
        registry.add(properties(2, "hang", false, 300), false, hang, null);
        registry.add(properties(3, "count", true, 0), true, null, count);
        return registry;
    }

    private static Map<String, Object> properties(long serviceId, String operation, boolean safe, long timeoutMillis) {
        return Map.of("service.id", serviceId, EdgeOperation.PROPERTY_APP, "echo",
                EdgeOperation.PROPERTY_OPERATION, operation, EdgeOperation.PROPERTY_SAFE, safe,
                EdgeOperation.PROPERTY_ALLOW, new String[] {"node:n2.edge.example", "client:ci", "client:blocked"},
                EdgeOperation.PROPERTY_TIMEOUT_MILLIS, timeoutMillis);
    }

    private record Answer(int status, String body) {
    }

    private static Answer call(SSLContext tls, String method, String operation, String token, String body) {
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.address().getPort() + "/api/v1/apps/echo/ops/"
                    + operation);
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

    private static SSLContext tls(EdgePki.NodeCertificate node) {
        return TlsContexts.sslContext(TlsContexts.keyManager(node.keys().getPrivate(), node.chain()),
                TlsContexts.trustManager(pki.trust()), new SecureRandom());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
