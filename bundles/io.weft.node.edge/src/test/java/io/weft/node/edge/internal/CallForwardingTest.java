package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

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
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeState;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.node.mesh.api.MeshRoutes;
import io.weft.pki.TlsContexts;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;

/**
 * Calls that node a forwards to the Edge API of other nodes, over real TLS connections with
 * the nodes' certificates. A fake {@link MeshRoutes} replaces the mesh: it returns the
 * other node's listener itself, or a closed port for a node that is down.
 *
 * <p>Nodes: a runs no app; b1 runs app echo; b0 runs no app, so it refuses before running;
 * a0 is down. Node a lists echo on a0, b0 and b1, and tries them in that order.
 */
class CallForwardingTest {

    private static final String DOMAIN = "." + EdgePki.DOMAIN;

    @TempDir
    static Path folder;

    private static EdgePki pki;
    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static final Map<String, InetSocketAddress> ROUTES = new TreeMap<>();
    private static final AtomicInteger GREETINGS = new AtomicInteger();
    private static EdgeServer nodeA;
    /** Node c runs app echo with only its operation info, and lists echo on b1 too. */
    private static EdgeServer nodeC;
    private static SSLContext anonymousTls;
    private static SSLContext otherNodeTls;
    private static final Map<String, EdgePki.NodeCertificate> NODE_CERTIFICATES = new TreeMap<>();
    private static NodeState nodeStateOfA;
    /** The flow records of each node, by its short name. */
    private static final Map<String, RecordingFlowSink> SINKS = new TreeMap<>();

    @BeforeAll
    static void startNodes() throws Exception {
        pki = new EdgePki(folder);
        anonymousTls = TlsContexts.sslContext(null, TlsContexts.trustManager(pki.trust()), new SecureRandom());
        otherNodeTls = tls(pki.node("n2"));
        ROUTES.put("a0" + DOMAIN, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        ROUTES.put("b0" + DOMAIN, start("b0", new OperationRegistry(), policyB(), AppLocations.NONE).address());
        ROUTES.put("b1" + DOMAIN, start("b1", echo(), policyB(), AppLocations.NONE).address());
        AppLocations locations = AppLocations.parse(new String[] {
            "echo=b1" + DOMAIN + ",a0" + DOMAIN + ",b0" + DOMAIN});
        nodeA = start("a", new OperationRegistry(), policyA(), locations);
        nodeC = start("c", echoInfoOnly(), policyA(), AppLocations.parse(new String[] {"echo=b1" + DOMAIN}));
        EdgePki.NodeCertificate a = NODE_CERTIFICATES.get("a");
        Identity identity = new Identity("a-id", "a" + DOMAIN, a.keys().getPrivate(), a.chain(),
                pki.ca.rootCertificate());
        nodeStateOfA = new NodeState() {
            @Override
            public Optional<Identity> identity() {
                return Optional.of(identity);
            }

            @Override
            public AppliedState appliedState() {
                return AppliedState.NONE;
            }
        };
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (AutoCloseable closeable : CLOSE) {
            closeable.close();
        }
    }

    @Test
    void clientCallReachesNodeThatRunsApp() {
        int before = GREETINGS.get();

        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Ada\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"caller\":\"client:ci\",\"name\":\"Ada\"}");
        assertThat(answer.servedBy()).isEqualTo("b1" + DOMAIN);
        assertThat(GREETINGS.get() - before).as("greetings run").isEqualTo(1);
    }

    @Test
    void forwardedCallRecordedAtBothEnds() throws InterruptedException {
        String body = "{\"name\": \"Flow records at both ends\"}";
        Predicate<FlowRecord> ofThisCall = flow -> "greet".equals(flow.operation())
                && flow.bytesToDestination() == body.length();

        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")), body, null);
        FlowRecord atForwarder = SINKS.get("a").await("of this call at node a", ofThisCall);
        FlowRecord atDestination = SINKS.get("b1").await("of this call at node b1", ofThisCall);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(atForwarder.end()).isEqualTo(FlowRecord.End.SOURCE);
        assertThat(atForwarder.source()).isEqualTo("a" + DOMAIN);
        assertThat(atForwarder.destination()).isEqualTo("b1" + DOMAIN);
        assertThat(atForwarder.caller()).isEqualTo("client:ci");
        assertThat(atForwarder.via()).isNull();
        assertThat(atForwarder.rule()).isEqualTo("A1");
        assertThat(atForwarder.status()).isEqualTo(200);
        assertThat(atForwarder.bytesToSource()).as("relayed response bytes").isEqualTo(answer.body().length());
        assertThat(atDestination.end()).isEqualTo(FlowRecord.End.DESTINATION);
        assertThat(atDestination.source()).as("the node where the call entered").isEqualTo("a" + DOMAIN);
        assertThat(atDestination.destination()).isEqualTo("b1" + DOMAIN);
        assertThat(atDestination.caller()).isEqualTo("client:ci");
        assertThat(atDestination.via()).isEqualTo("a" + DOMAIN);
        assertThat(atDestination.rule()).isEqualTo("B1");
        assertThat(atDestination.status()).isEqualTo(200);
    }

    @Test
    void denialAtDestinationRecordedWithVia() throws InterruptedException {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("only-a", List.of("echo/*")),
                "{\"name\": \"Di\"}", "b1" + DOMAIN);
        FlowRecord atDestination = SINKS.get("b1").await("of client:only-a at node b1",
                flow -> "client:only-a".equals(flow.caller()));
        FlowRecord atForwarder = SINKS.get("a").await("of client:only-a at node a",
                flow -> "client:only-a".equals(flow.caller()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(atDestination.event()).isEqualTo(FlowRecord.Event.DENIED);
        assertThat(atDestination.via()).isEqualTo("a" + DOMAIN);
        assertThat(atDestination.rule()).as("no rule of b1 names client only-a").isNull();
        assertThat(atForwarder.event()).as("node a's policy allowed the call").isEqualTo(FlowRecord.Event.CLOSED);
        assertThat(atForwarder.rule()).isEqualTo("A1");
        assertThat(atForwarder.status()).as("the status that b1 sent").isEqualTo(403);
    }

    @Test
    void denialAtForwarderRecordedAsSource() throws InterruptedException {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("nobody", List.of("echo/*")),
                "{\"name\": \"No\"}", null);
        FlowRecord record = SINKS.get("a").await("of client:nobody at node a",
                flow -> "client:nobody".equals(flow.caller()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(record.event()).isEqualTo(FlowRecord.Event.DENIED);
        assertThat(record.end()).isEqualTo(FlowRecord.End.SOURCE);
        assertThat(record.destination()).as("the first node that a tried").isEqualTo("a0" + DOMAIN);
        assertThat(record.status()).isEqualTo(403);
    }

    @Test
    void downAndRefusingNodesAreSkipped() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Bo\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.servedBy()).as("node after a0, which is down, and b0, which runs no echo")
                .isEqualTo("b1" + DOMAIN);
    }

    @Test
    void namedNodeIsTheOnlyOneTried() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Cy\"}", "b0" + DOMAIN);

        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        assertThat(answer.body()).contains("\"error\":\"unreachable\"").contains("b0" + DOMAIN)
                .doesNotContain("b1" + DOMAIN);
    }

    @Test
    void namedNodeWithoutAppGets404() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Cy\"}", "zz" + DOMAIN);

        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
        assertThat(answer.body()).contains("names node 'zz" + DOMAIN + "'")
                .contains("does not exist or does not run app 'echo'");
    }

    @Test
    void sourcePolicyDenialStopsCall() {
        int before = GREETINGS.get();

        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("blocked", List.of("echo/*")),
                "{\"name\": \"Di\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("has no rule that lets it forward the call")
                .contains("Add node:a" + DOMAIN + " or domain:edge.example to the destination nodes");
        assertThat(GREETINGS.get() - before).as("greetings run").isZero();
    }

    @Test
    void destinationPolicyDeniesWhatSourceAllows() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("only-a", List.of("echo/*")),
                "{\"name\": \"Ed\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.servedBy()).isEqualTo("b1" + DOMAIN);
        assertThat(answer.body()).contains("The policy denies the call");
    }

    @Test
    void outOfScopeTokenIsDeniedAtSource() {
        Answer answer = call(anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("other/*")),
                "{\"name\": \"Fa\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("is not scoped to echo/greet");
    }

    @Test
    void streamPassesThrough() {
        Answer answer = call(anonymousTls, "GET", "echo/count", pki.token("ci", List.of("echo/*")), null, null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("event: n\ndata: 1\n\nevent: n\ndata: 2\n\n");
    }

    @Test
    void otherNodeCallIsNotForwarded() {
        Answer answer = call(otherNodeTls, "POST", "echo/greet", null, "{\"name\": \"Gu\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("forwards only calls of API clients and of its own apps");
    }

    @Test
    void missingOperationOfLocalAppStaysLocal() {
        int before = GREETINGS.get();

        Answer answer = call(nodeC, anonymousTls, "POST", "echo/greet", pki.token("ci", List.of("echo/*")),
                "{\"name\": \"Io\"}", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
        assertThat(answer.servedBy()).as("served by another node").isNull();
        assertThat(GREETINGS.get() - before).as("greetings run").isZero();
    }

    @Test
    void unknownAppGets404() {
        Answer answer = call(anonymousTls, "POST", "nothing/greet", pki.token("ci", List.of("nothing/*")), "{}",
                null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
        assertThat(answer.body()).contains("no other node that this node knows of runs app 'nothing'");
    }

    private static EdgeServer start(String name, OperationRegistry registry, String policy, AppLocations locations)
            throws Exception {
        EdgePki.NodeCertificate node = pki.node(name);
        NODE_CERTIFICATES.put(name, node);
        NodeSubject self = NodeSubject.edge(name + DOMAIN);
        SSLContext nodeTls = tls(node);
        EdgeContext context = new EdgeContext(pki.authenticator(),
                new CallAuthorizer(PolicyDocument.parse(policy).policy(), self), self.name(), nodeTls);
        EdgeSettings settings = new EdgeSettings("127.0.0.1", freePort(), 1024, 30_000, 60_000, 100, 100, 4, 2);
        OperationInvoker invoker = new OperationInvoker(settings.workerThreads(), settings.maxStreams(),
                Clock.systemUTC());
        MeshRoutes routes = (nodeName, target) -> ROUTES.get(nodeName);
        CallForwarder forwarder = new CallForwarder(new RemoteEdgeApi(() -> routes), 10_000);
        RecordingFlowSink sink = new RecordingFlowSink();
        SINKS.put(name, sink);
        EdgeApiHandler handler = new EdgeApiHandler(registry, () -> context, settings, invoker, Clock.systemUTC(),
                () -> locations, forwarder, sink::record);
        EdgeServer server = new EdgeServer(settings, nodeTls, handler);
        server.start();
        CLOSE.add(server);
        CLOSE.add(invoker);
        return server;
    }

    @Test
    void edgeClientCallsAsNode() throws Exception {
        EdgeClientComponent client = new EdgeClientComponent(nodeStateOfA, new BuiltInTarget() {
            @Override
            public String name() {
                return BuiltInTarget.EDGE_API;
            }

            @Override
            public Optional<InetSocketAddress> address() {
                return Optional.of(nodeA.address());
            }
        });

        OperationResult result = client.call("echo", "greet", Map.of("name", "Ha"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo(Map.of("caller", "node:a" + DOMAIN, "name", "Ha"));
        OperationException denied = catchThrowableOfType(() -> client.call("echo", "missing", Map.of()),
                OperationException.class);
        assertThat(denied.status()).as(denied.getMessage()).isEqualTo(403);
    }

    /** Returns the policy of node a, which allows clients ci and only-a and node a itself, not blocked. */
    private static String policyA() {
        return """
                {"rules": [{"id": "A1", "domain": "edge.example", "source": {"anyOf": ["client:ci", "client:only-a", "node:a.edge.example"]},
                 "destination": {"operation": "echo/greet"}, "action": "allow"},
                 {"id": "A1-count", "domain": "edge.example", "source": {"anyOf": ["client:ci", "client:only-a", "node:a.edge.example"]},
                 "destination": {"operation": "echo/count"}, "action": "allow"}]}""";
    }

    /** Returns the policy of the nodes that run echo, which allows client ci and node a only. */
    private static String policyB() {
        return """
                {"rules": [{"id": "B1", "domain": "edge.example", "source": {"anyOf": ["client:ci", "node:a.edge.example"]},
                 "destination": {"operation": "echo/greet"}, "action": "allow"},
                 {"id": "B1-count", "domain": "edge.example", "source": {"anyOf": ["client:ci", "node:a.edge.example"]},
                 "destination": {"operation": "echo/count"}, "action": "allow"}]}""";
    }

    private static OperationRegistry echo() {
        OperationRegistry registry = new OperationRegistry();
        Operation greet = request -> {
            GREETINGS.incrementAndGet();
            return OperationResult.ok(new TreeMap<>(Map.of("name", request.jsonObject().get("name"),
                    "caller", request.caller().toString())));
        };
        StreamingOperation count = (request, events) -> {
            events.send("n", 1);
            events.send("n", 2);
        };
        registry.add(properties(1, "greet", false), false, greet, null);
        registry.add(properties(2, "count", true), true, null, count);
        return registry;
    }

    private static OperationRegistry echoInfoOnly() {
        OperationRegistry registry = new OperationRegistry();
        Operation info = request -> OperationResult.ok(Map.of("node", "c"));
        registry.add(properties(3, "info", true), false, info, null);
        return registry;
    }

    private static Map<String, Object> properties(long serviceId, String operation, boolean safe) {
        return Map.of("service.id", serviceId, EdgeOperation.PROPERTY_APP, "echo",
                EdgeOperation.PROPERTY_OPERATION, operation, EdgeOperation.PROPERTY_SAFE, safe,
                EdgeOperation.PROPERTY_ALLOW, new String[] {"client:ci", "client:only-a", "node:a.edge.example"});
    }

    private record Answer(int status, String body, String servedBy) {
    }

    private static Answer call(SSLContext tls, String method, String path, String token, String body, String node) {
        return call(nodeA, tls, method, path, token, body, node);
    }

    private static Answer call(EdgeServer server, SSLContext tls, String method, String path, String token,
            String body, String node) {
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.address().getPort() + "/api/v1/apps/"
                    + path.replaceFirst("/", "/ops/"));
            HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            connection.setHostnameVerifier((host, session) -> true);
            connection.setRequestMethod(method);
            connection.setReadTimeout(20_000);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (node != null) {
                connection.setRequestProperty(EdgeApiHandler.TARGET_NODE, node);
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
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, text, connection.getHeaderField(CallForwarder.SERVED_BY));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null);
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
