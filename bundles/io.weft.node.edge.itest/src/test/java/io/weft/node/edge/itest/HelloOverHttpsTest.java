package io.weft.node.edge.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.DocumentSigner;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyType;
import io.weft.pki.TlsContexts;

/**
 * The Edge API bundle under Felix SCR with the hello example app. Once the node has an
 * identity, greet returns a greeting over HTTPS to a token of the state signer. The operation
 * goes away and comes back with the app's bundle.
 */
class HelloOverHttpsTest {

    private static final String PID = "io.weft.node.edge";
    private static final String POLICY = """
            {"rules": [{"id": "R1", "domain": "edge.example", "source": "client:hello-client",
              "destination": {"operation": "hello/greet"}, "action": "allow"}]}""";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configurationAdmin;

    private Path temp;
    private int port;
    private SSLContext clientTls;
    private String token;

    @BeforeEach
    void startEdgeApi() throws Exception {
        temp = Files.createTempDirectory("weft-edge-itest");
        port = freePort();
        Configuration configuration = configurationAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("port", port);
        configuration.update(properties);

        CertificateAuthority ca = new CaFiles(Clock.systemUTC(), RANDOM).create(temp.resolve("ca"), "Weft Itest");
        Identity identity = identity(ca);
        token = token(ca);
        clientTls = TlsContexts.sslContext(null, TlsContexts.trustManager(ca.rootCertificate(), Set::of,
                Clock.systemUTC()), RANDOM);
        NodeStateListener listener = awaitListener();
        listener.stateApplied(new AppliedState(1, Set.of(), POLICY));
        listener.identityChanged(identity);
    }

    @AfterEach
    void removeConfiguration() throws IOException {
        configurationAdmin.getConfiguration(PID, "?").delete();
    }

    @Test
    void greetServedOverHttps() throws Exception {
        int status = awaitStatus(200);

        assertThat(status).isEqualTo(200);
        assertThat(greet().body().path("greeting").asText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void operationFollowsAppBundle() throws Exception {
        awaitStatus(200);
        Bundle hello = helloBundle();

        hello.stop();
        int stopped = awaitStatus(404);
        hello.start();
        int started = awaitStatus(200);

        assertThat(stopped).as("status with the app stopped").isEqualTo(404);
        assertThat(started).as("status with the app started again").isEqualTo(200);
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer greet() throws IOException {
        URI uri = URI.create("https://127.0.0.1:" + port + "/api/v1/apps/hello/ops/greet");
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(clientTls.getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write("{\"name\": \"Ada\"}".getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, new ObjectMapper().readTree(in));
        }
    }

    /** Calls greet until it returns {@code expected}, and returns the last status, -1 while nothing listens. */
    private int awaitStatus(int expected) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        int status = -1;
        while (System.nanoTime() < end) {
            try {
                status = greet().status();
            } catch (IOException e) {
                status = -1;
            }
            if (status == expected) {
                return status;
            }
            Thread.sleep(100);
        }
        return status;
    }

    private NodeStateListener awaitListener() throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            var references = context.getServiceReferences(NodeStateListener.class,
                    "(component.name=io.weft.node.edge.internal.EdgeApiComponent)");
            if (!references.isEmpty()) {
                return context.getService(references.iterator().next());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No Edge API component within " + TIMEOUT.toSeconds() + " s");
    }

    private Bundle helloBundle() {
        for (Bundle bundle : context.getBundles()) {
            if ("io.weft.examples.hello".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("The hello bundle is not installed");
    }

    private static Identity identity(CertificateAuthority ca) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), "n1", "edge.example", "n1-id"));
        return new Identity("n1-id", "n1.edge.example", keys.getPrivate(), ca.chainFor(leaf), ca.rootCertificate());
    }

    /** Returns a token in the manager's format: claims, signature and signer certificate. */
    private static String token(CertificateAuthority ca) throws IOException {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate signer = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING, keys.getPublic(),
                "state signer"));
        String claims = "{\"type\":\"weft-api-client-token\",\"id\":\"t1\",\"client\":\"hello-client\","
                + "\"scopes\":[\"hello/*\"],\"issuedAt\":0,\"expiresAt\":" + (System.currentTimeMillis() / 1000 + 600)
                + "}";
        byte[] envelope = new DocumentSigner(keys.getPrivate(), ca.chainFor(signer), RANDOM)
                .sign(claims.getBytes(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(envelope);
        return "weft-api." + url(json.path("payload").asText()) + "." + url(json.path("signature").asText()) + "."
                + url(json.path("chain").get(0).asText());
    }

    private static String url(String base64) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(base64));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
