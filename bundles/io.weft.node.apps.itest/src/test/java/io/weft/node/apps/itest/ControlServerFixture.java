package io.weft.node.apps.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlServer;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.DesiredState;
import io.weft.control.ErrorMessage;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.state.AppDeployment;
import io.weft.control.state.DesiredStateDocument;
import io.weft.pki.AppSigner;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.DocumentSigner;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyType;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.Pem;
import io.weft.pki.TlsContexts;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A manager for the node agent and app deployer under test. It has a Weft CA in a temporary
 * folder with a state-signing and an app-signing key, and a real control server with mutual TLS
 * on 127.0.0.1 that serves the published app bundles range by range. It writes a node identity
 * in the agent's on-disk format.
 */
final class ControlServerFixture implements ControlListener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NODE_ID = "node-itest";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority ca;
    private final DocumentSigner signer;
    private volatile AppSigner appSigner;
    private volatile X509Certificate appCertificate;
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    private final ControlServer server;
    private final InetSocketAddress address;
    private final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<ControlSession> accepted = new LinkedBlockingQueue<>();
    private volatile ControlSession current;

    ControlServerFixture(Path caDirectory) throws IOException {
        ca = new CaFiles(Clock.systemUTC(), RANDOM).create(caDirectory, "Itest " + RANDOM.nextInt(1000));
        KeyPair signerKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate signerCertificate = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING,
                signerKeys.getPublic(), "state signer"));
        signer = new DocumentSigner(signerKeys.getPrivate(), ca.chainFor(signerCertificate), RANDOM);
        replaceAppSigner();

        KeyPair serverKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate serverCertificate = ca.issue(IssueRequest.server(serverKeys.getPublic(), "manager",
                List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))));
        server = new ControlServer(TlsContexts.mutualTlsContext(serverKeys.getPrivate(),
                ca.chainFor(serverCertificate), ca.rootCertificate(), Set::of, Clock.systemUTC(), RANDOM),
                ControlSettings.defaults(), this);
        address = server.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    /** Writes a node identity for this manager into {@code dataDirectory}/identity, as enrollment stores it. */
    void writeIdentity(Path dataDirectory) throws IOException {
        Path identity = dataDirectory.resolve("identity");
        OwnerOnlyFiles.createPrivateDirectory(identity);
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), "n1", "plant1.acme.example", NODE_ID));
        String record = "{\"nodeId\":\"" + NODE_ID + "\",\"nodeName\":\"n1.plant1.acme.example\","
                + "\"controlAddress\":\"127.0.0.1:" + address.getPort() + "\","
                + "\"enrollmentUrl\":\"https://127.0.0.1:9443/api/v1/enroll\","
                + "\"rootFingerprint\":\"" + ca.rootFingerprint() + "\"}";
        write(identity.resolve("identity.json"), record);
        write(identity.resolve("node-key.pem"), Pem.toPem(keys.getPrivate()));
        write(identity.resolve("node-chain.pem"), Pem.toPem(ca.chainFor(leaf)));
        write(identity.resolve("root-ca.pem"), Pem.toPem(ca.rootCertificate()));
    }

    /**
     * Issues a new app-signing key and certificate, which sign the bundles that {@link #publish}
     * publishes from now on, as the manager does after a revocation.
     *
     * @return the serial of the previous certificate, null for the first one
     */
    BigInteger replaceAppSigner() {
        X509Certificate previous = appCertificate;
        KeyPair appKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        appCertificate = ca.issue(IssueRequest.signer(CertificateProfile.APP_SIGNING, appKeys.getPublic(),
                "app signer"));
        appSigner = new AppSigner(appKeys.getPrivate(), ca.chainFor(appCertificate), RANDOM);
        return previous == null ? null : previous.getSerialNumber();
    }

    /** Signs a bundle, keeps it for download and returns its deployment. */
    AppDeployment publish(String deploymentId, String app, String version, byte[] bundle) {
        String sha256 = sha256(bundle);
        artifacts.put(sha256, bundle);
        return new AppDeployment(deploymentId, app, version, sha256, bundle.length,
                Base64.getEncoder().encodeToString(appSigner.sign(bundle)));
    }

    @Override
    public void messageReceived(ControlSession session, ControlMessage message) {
        received.add(message);
        if (message instanceof ArtifactRequest request) {
            serve(session, request);
        } else if (message instanceof Hello hello) {
            session.send(HelloAck.negotiate(ControlProtocol.SUPPORTED_VERSIONS, hello, 30));
            current = session;
            accepted.add(session);
        }
    }

    void awaitNode() throws InterruptedException {
        assertThat(accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a node session within %s", WAIT)
                .isNotNull();
    }

    /** Signs a state with these app deployments and sends it to the connected node. */
    void push(long revision, List<AppDeployment> deployments) {
        push(revision, deployments, Set.of());
    }

    /** Signs a state with these app deployments and revoked certificate serials and sends it to the node. */
    void push(long revision, List<AppDeployment> deployments, Set<BigInteger> revokedSerials) {
        Set<String> revoked = revokedSerials.stream().map(DesiredStateDocument::serial)
                .collect(Collectors.toSet());
        DesiredStateDocument document = new DesiredStateDocument(NODE_ID, "n1.plant1.acme.example", revision,
                Instant.now(), Map.of(), revoked, JsonNodeFactory.instance.objectNode(), deployments);
        current.send(new DesiredState(revision, signer.sign(document.toJson())));
    }

    private void serve(ControlSession session, ArtifactRequest request) {
        byte[] bundle = artifacts.get(request.sha256());
        if (bundle == null || request.offset() > bundle.length) {
            session.send(new ErrorMessage(ArtifactRequest.NOT_AVAILABLE, "Artifact " + request.sha256()
                    + ": not published"));
            return;
        }
        int end = (int) Math.min(bundle.length, request.offset() + request.length());
        session.send(new ArtifactChunk(request.sha256(), request.offset(), bundle.length,
                Arrays.copyOfRange(bundle, (int) request.offset(), end)));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the next message of {@code type}, skipping messages of other types. */
    <T extends ControlMessage> T await(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ControlMessage message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(message).as("a %s within %s", type.getSimpleName(), WAIT).isNotNull();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private static void write(Path file, String text) throws IOException {
        OwnerOnlyFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
