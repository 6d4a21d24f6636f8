package io.weft.manager.control.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import io.weft.manager.pki.api.IssuedNodeCertificate;
import io.weft.manager.pki.api.AppSignerReplacement;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.pki.api.RevocationListener;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.pki.AppSigner;
import io.weft.pki.CaFiles;
import io.weft.pki.CertificateAuthority;
import io.weft.pki.CertificateProfile;
import io.weft.pki.CertificationRequests;
import io.weft.pki.DocumentSigner;
import io.weft.pki.DocumentVerifier;
import io.weft.pki.Fingerprint;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPairs;
import io.weft.pki.KeyPurpose;
import io.weft.pki.KeyType;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;
import io.weft.pki.TlsContexts;
import io.weft.pki.TrustVerifier;

/**
 * A {@link ManagerPki} over a real CA of io.weft.pki in a temporary folder: a control-port
 * certificate for 127.0.0.1, state-signing and app-signing keys, node certificates from CSRs, and revocation
 * by serial that the control port's trust manager checks on every handshake.
 */
final class TestManagerPki implements ManagerPki {

    static final SecureRandom RANDOM = new SecureRandom();
    static final Clock CLOCK = Clock.systemUTC();

    private final CertificateAuthority ca;
    private final FleetStore fleet;
    private final SSLContext serverContext;
    private final DocumentSigner signer;
    private final AppSigner appSigner;
    private final X509Certificate appSigning;
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, List<BigInteger>> serialsByNode = new ConcurrentHashMap<>();
    private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();

    TestManagerPki(Path folder, FleetStore fleet) throws IOException {
        this.ca = new CaFiles(CLOCK, RANDOM).create(folder.resolve("ca"), "Weft Test");
        this.fleet = fleet;

        KeyPair serverKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate server = ca.issue(IssueRequest.server(serverKeys.getPublic(), "manager",
                List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))));
        this.serverContext = TlsContexts.mutualTlsContext(serverKeys.getPrivate(), ca.chainFor(server),
                ca.rootCertificate(), () -> revoked, CLOCK, RANDOM);

        KeyPair signerKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        X509Certificate signing = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING,
                signerKeys.getPublic(), "state signer"));
        this.signer = new DocumentSigner(signerKeys.getPrivate(), ca.chainFor(signing), RANDOM);

        KeyPair appKeys = KeyPairs.generate(KeyType.EC_P256, RANDOM);
        this.appSigning = ca.issue(IssueRequest.signer(CertificateProfile.APP_SIGNING, appKeys.getPublic(),
                "app signer"));
        this.appSigner = new AppSigner(appKeys.getPrivate(), ca.chainFor(appSigning), RANDOM);
    }

    @Override
    public byte[] signApp(byte[] bundle) {
        return appSigner.sign(bundle);
    }

    @Override
    public X509Certificate appSigningCertificate() {
        return appSigning;
    }

    /** Not used by the control plane, which only delivers what the app repository signed. */
    @Override
    public AppSignerReplacement replaceAppSigner(String reason) {
        throw new UnsupportedOperationException("The control plane tests do not replace the app signer");
    }

    void addListener(RevocationListener listener) {
        listeners.add(listener);
    }

    /** Returns a verifier of signed states as a node builds it from the root certificate. */
    DocumentVerifier stateVerifier() {
        return new DocumentVerifier(new TrustVerifier(ca.rootCertificate(), () -> revoked, CLOCK),
                KeyPurpose.STATE_SIGNING);
    }

    /** Issues a node certificate straight from the CA, for any node id, known to the store or not. */
    X509Certificate issueDirectly(KeyPair keys, String name, String domain, String nodeId) {
        X509Certificate certificate = ca.issue(IssueRequest.node(keys.getPublic(), name, domain, nodeId));
        serialsByNode.computeIfAbsent(nodeId, any -> new CopyOnWriteArrayList<>()).add(certificate.getSerialNumber());
        return certificate;
    }

    List<X509Certificate> chainFor(X509Certificate leaf) {
        return ca.chainFor(leaf);
    }

    @Override
    public X509Certificate rootCertificate() {
        return ca.rootCertificate();
    }

    @Override
    public Fingerprint rootFingerprint() {
        return ca.rootFingerprint();
    }

    @Override
    public SSLContext controlServerContext() {
        return serverContext;
    }

    @Override
    public String controlAddress() {
        return "127.0.0.1:0";
    }

    public String enrollmentUrl() {
        return "https://127.0.0.1:0/api/v1/enroll";
    }

    @Override
    public byte[] signState(byte[] payload) {
        return signer.sign(payload);
    }

    @Override
    public IssuedNodeCertificate issueNodeCertificate(String nodeId, byte[] csr, boolean revokePrevious) {
        return issueNodeCertificate(nodeId, CertificationRequests.validate(csr, KeyType.NODE_KEYS), revokePrevious);
    }

    @Override
    public IssuedNodeCertificate issueNodeCertificate(String nodeId, CertificationRequests.ValidatedRequest request,
            boolean revokePrevious) {
        Node node = fleet.findNode(nodeId).orElseThrow(() -> new PkiException("Node " + nodeId + " does not exist."));
        if (revokePrevious) {
            revokeNode(nodeId, "superseded");
        }
        X509Certificate certificate = ca.issue(IssueRequest.node(request.publicKey(), node.name(), node.domain(),
                nodeId));
        serialsByNode.computeIfAbsent(nodeId, any -> new CopyOnWriteArrayList<>()).add(certificate.getSerialNumber());
        return new IssuedNodeCertificate(ca.chainFor(certificate));
    }

    @Override
    public List<BigInteger> revokeNode(String nodeId, String reason) {
        List<BigInteger> serials = new ArrayList<>(serialsByNode.getOrDefault(nodeId, List.of()));
        serials.removeAll(revoked);
        revoked.addAll(serials);
        listeners.forEach(listener -> listener.revoked(nodeId, Set.copyOf(serials)));
        return serials;
    }

    @Override
    public Set<BigInteger> revokedSerials() {
        return Set.copyOf(revoked);
    }

    public String revocationListPem() {
        return Pem.toPem(ca.createCrl(List.of(), BigInteger.ONE, java.time.Duration.ofDays(1)));
    }
}
