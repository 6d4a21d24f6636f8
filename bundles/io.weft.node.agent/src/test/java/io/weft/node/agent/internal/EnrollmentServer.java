package io.weft.node.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.weft.pki.CertificationRequests;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyType;
import io.weft.pki.Pem;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The manager's enrollment endpoint as the contract describes it, on HTTPS on a free port of
 * 127.0.0.1: it validates the CSR and issues a node certificate for the token's node id with
 * the real test CA. It does not check the token's secret.
 */
final class EnrollmentServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestPki pki;
    private final HttpsServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** Node id that the issued certificate carries instead of the token's, when set. */
    volatile String issuedNodeId;
    /** Node name that the response carries. */
    volatile String nodeName = TestPki.NODE_NAME;
    /** Key that the issued certificate certifies instead of the CSR's, when set. */
    volatile PublicKey substituteKey;
    /** HTTP status of an error response sent instead of a certificate, when above 0. */
    volatile int errorStatus;
    volatile String controlAddress = "127.0.0.1:7443";

    EnrollmentServer(TestPki pki) throws IOException {
        this.pki = pki;
        TestPki.Holder tls = pki.server();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.sslContext(
                TlsContexts.keyManager(tls.keys().getPrivate(), tls.chain()),
                TlsContexts.trustManager(pki.ca.rootCertificate(), Set::of, Clock.systemUTC()), TestPki.RANDOM)));
        server.createContext("/api/v1/enroll", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/enroll");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            requests.add(request);
            if (errorStatus > 0) {
                respond(exchange, errorStatus, "{\"error\":\"token-used\",\"message\":\"The enrollment token was"
                        + " already used. Create a new token.\",\"field\":\"token\"}");
                return;
            }
            String tokenNodeId = EnrollmentToken.decode(request.path("token").asText()).nodeId();
            PublicKey key = CertificationRequests.validate(request.path("csr").asText()
                    .getBytes(StandardCharsets.US_ASCII), KeyType.NODE_KEYS).publicKey();
            X509Certificate leaf = pki.ca.issue(IssueRequest.node(substituteKey == null ? key : substituteKey, "n1",
                    "plant1.acme.example", issuedNodeId == null ? tokenNodeId : issuedNodeId));
            ObjectNode body = JSON.createObjectNode();
            body.put("nodeId", tokenNodeId);
            body.put("nodeName", nodeName);
            body.put("controlAddress", controlAddress);
            var chain = body.putArray("certificateChain");
            pki.ca.chainFor(leaf).forEach(certificate -> chain.add(Pem.toPem(certificate)));
            respond(exchange, 200, body.toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
