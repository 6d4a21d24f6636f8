package io.weft.node.agent.internal;

import io.weft.pki.CertificateAuthority;
import io.weft.pki.Fingerprint;
import io.weft.pki.IssueRequest;
import io.weft.pki.KeyPurpose;
import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Checks of a node's own certificate chain, shared by the identity store, enrollment and renewal. */
final class Certificates {

    /** Subject alternative name type of a URI (RFC 5280, GeneralName uniformResourceIdentifier). */
    private static final int URI_NAME = 6;

    private Certificates() {
    }

    /**
     * Verifies a chain that the manager just issued: it ends in the root CA with
     * {@code rootFingerprint}, validates to it now for TLS client authentication, certifies
     * {@code expectedKey} and carries the URI {@code urn:weft:node:<nodeId>}.
     *
     * @throws PkiException naming the failed check
     */
    static void requireIssuedChain(List<X509Certificate> chain, Fingerprint rootFingerprint, PublicKey expectedKey,
            String nodeId, Clock clock) {
        if (chain.size() < 2) {
            throw new PkiException("The certificate chain has " + chain.size()
                    + " certificates, but it needs the node certificate, the issuing CA and the root CA.");
        }
        X509Certificate root = chain.get(chain.size() - 1);
        if (!rootFingerprint.matches(root)) {
            throw new PkiException("The certificate chain ends in '" + root.getSubjectX500Principal().getName()
                    + "' with SHA-256 fingerprint " + Fingerprint.of(root) + ", not in the Weft root CA "
                    + rootFingerprint + ".");
        }
        TrustVerifier.withoutRevocation(root, clock).verify(chain, KeyPurpose.TLS_CLIENT);
        X509Certificate leaf = chain.get(0);
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), expectedKey.getEncoded())) {
            throw new PkiException("The node certificate serial " + leaf.getSerialNumber().toString(16)
                    + " certifies another public key than the one this node generated.");
        }
        requireNodeId(leaf, nodeId);
    }

    /**
     * Verifies a stored chain independently of the current time: the signatures and CA
     * constraints to {@code root} are checked at the time the certificate was issued, so an
     * expired certificate still loads and the operator can see and replace it.
     */
    static void requireChainsToRoot(List<X509Certificate> chain, X509Certificate root) {
        X509Certificate leaf = chain.get(0);
        Instant issued = leaf.getNotBefore().toInstant().plus(CertificateAuthority.CLOCK_SKEW);
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant at = issued.isAfter(notAfter) ? notAfter : issued;
        TrustVerifier.withoutRevocation(root, Clock.fixed(at, ZoneOffset.UTC)).verify(chain, KeyPurpose.TLS_CLIENT);
    }

    /**
     * Checks that {@code key} is the private key of {@code certificate} by signing a test
     * message with it. The key is converted to the JDK's own class first, because the JDK's
     * signature engines reject Bouncy Castle key objects.
     */
    static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        byte[] message = "weft identity check".getBytes(StandardCharsets.US_ASCII);
        try {
            KeyType type = KeyType.of(certificate.getPublicKey(), KeyType.ALL);
            String algorithm = type.signatureAlgorithm();
            PrivateKey jdkKey = KeyFactory.getInstance(type == KeyType.ED25519 ? "Ed25519" : "EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(jdkKey);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | PkiException e) {
            return false;
        }
    }

    /** Returns the node id of the certificate's URI {@code urn:weft:node:<id>}, if it has one. */
    static Optional<String> nodeIdOf(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        return names.stream()
                .filter(name -> name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0)))
                .map(name -> String.valueOf(name.get(1)))
                .filter(uri -> uri.startsWith(IssueRequest.NODE_URI_PREFIX))
                .map(uri -> uri.substring(IssueRequest.NODE_URI_PREFIX.length()))
                .findFirst();
    }

    static void requireNodeId(X509Certificate leaf, String nodeId) {
        Optional<String> found = nodeIdOf(leaf);
        if (found.isEmpty() || !found.get().equals(nodeId)) {
            throw new PkiException("The node certificate serial " + leaf.getSerialNumber().toString(16)
                    + " carries the node id " + found.map(id -> "'" + id + "'").orElse("(none)")
                    + ", but this node's id is '" + nodeId + "'.");
        }
    }
}
