package io.weft.node.agent.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.weft.control.state.DesiredStateDocument;
import io.weft.fleet.ProfileValue;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.DocumentSigner;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A real Weft CA in a temporary directory, with the certificates and signed states that tests need. */
final class TestPki {

    static final SecureRandom RANDOM = new SecureRandom();
    static final String NODE_ID = "node-7f3a";
    static final String NODE_NAME = "n1.plant1.acme.example";

    /** A key pair with its chain, leaf first. */
    record Holder(KeyPair keys, List<X509Certificate> chain) {
    }

    final CertificateAuthority ca;
    private final Holder stateSigner;

    private TestPki(CertificateAuthority ca) {
        this.ca = ca;
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate signer = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING, keys.getPublic(),
                "state signer"));
        this.stateSigner = new Holder(keys, ca.chainFor(signer));
    }

    static TestPki create(Path directory) throws IOException {
        return new TestPki(new CaFiles(Clock.systemUTC(), RANDOM).create(directory, "Test " + RANDOM.nextInt(1000)));
    }

    /** Issues a node certificate for {@code keys} with the node id URI {@code urn:weft:node:<nodeId>}. */
    List<X509Certificate> nodeChain(KeyPair keys, String nodeId, Duration lifetime) {
        X509Certificate leaf = ca.issue(IssueRequest.node(keys.getPublic(), "n1", "plant1.acme.example", nodeId)
                .withLifetime(lifetime));
        return ca.chainFor(leaf);
    }

    /** Returns a node identity with a new key and a 30-day certificate. */
    NodeIdentity nodeIdentity(String controlAddress) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        IdentityRecord record = new IdentityRecord(NODE_ID, NODE_NAME, controlAddress,
                URI.create("https://127.0.0.1:9443/api/v1/enroll"), ca.rootFingerprint());
        return new NodeIdentity(record, keys.getPrivate(), nodeChain(keys, NODE_ID, Duration.ofDays(30)));
    }

    /** Issues the manager's TLS server certificate for 127.0.0.1 and localhost. */
    Holder server() throws IOException {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate leaf = ca.issue(IssueRequest.server(keys.getPublic(), "manager", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1"))));
        return new Holder(keys, ca.chainFor(leaf));
    }

    /** Signs a desired state with the state-signing certificate. */
    X509Certificate stateSignerCertificate() {
        return stateSigner.chain().get(0);
    }

    byte[] signState(DesiredStateDocument document) {
        return new DocumentSigner(stateSigner.keys().getPrivate(), stateSigner.chain(), RANDOM)
                .sign(document.toJson());
    }

    /** Signs a desired state with a key whose certificate lacks the state-signing usage. */
    byte[] signStateAsNode(DesiredStateDocument document) {
        KeyPair keys = KeyPairs.generateNodeKeyPair(RANDOM);
        return new DocumentSigner(keys.getPrivate(), nodeChain(keys, "intruder", Duration.ofDays(1)), RANDOM)
                .sign(document.toJson());
    }

    static DesiredStateDocument state(String nodeId, long revision, Map<String, Map<String, ProfileValue>> pids) {
        return new DesiredStateDocument(nodeId, NODE_NAME, revision, Instant.now(), pids, Set.of(),
                JsonNodeFactory.instance.objectNode());
    }

    static DesiredStateDocument state(long revision, String pid, String key, long value) {
        return state(NODE_ID, revision, Map.of(pid, Map.of(key, ProfileValue.ofLong(value))));
    }
}
