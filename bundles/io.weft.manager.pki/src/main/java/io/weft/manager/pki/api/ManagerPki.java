package io.weft.manager.pki.api;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.osgi.annotation.versioning.ProviderType;

import io.weft.pki.CertificationRequests;
import io.weft.pki.Fingerprint;

/**
 * The manager's certificate authority as the other manager bundles use it: the trust anchor,
 * the TLS context of the control port, the signing of desired states and app bundles, node
 * certificates and their revocation.
 */
@ProviderType
public interface ManagerPki {

    X509Certificate rootCertificate();

    Fingerprint rootFingerprint();

    /**
     * Returns the TLS context of the control port: the manager's own certificate, and client
     * certificates checked against the CA chain and the current revocation list on every
     * handshake. Apply {@code io.weft.pki.TlsContexts.serverParameters()} to each engine.
     */
    SSLContext controlServerContext();

    /** Returns the address that nodes dial for the control channel, as {@code host:port}. */
    String controlAddress();

    /** Returns the HTTPS URL of the enrollment endpoint that enrollment tokens carry. */
    String enrollmentUrl();

    /**
     * Signs a desired state with the state-signing key and returns the signed envelope that a
     * node checks with {@code io.weft.pki.DocumentVerifier}.
     */
    byte[] signState(byte[] payload);

    /**
     * Signs an app bundle with the repository's app-signing key and returns the detached CMS
     * signature that a node checks with {@code io.weft.pki.AppSignatureVerifier}.
     */
    byte[] signApp(byte[] bundle);

    /** Returns the certificate of the repository's app-signing key. */
    X509Certificate appSigningCertificate();

    /**
     * Owner id under which the store records the app-signing certificates, in the place of a
     * node id, so that the revocation list and the revoked serials of desired states include
     * them. {@link RevocationListener}s get it as the node id of an app-signer revocation.
     */
    String APP_SIGNER_OWNER = "weft-app-repository";

    /**
     * Revokes the app-signing certificate, for example after its key was compromised, and
     * issues a new key and certificate from the CA for the repository. The revocation is
     * recorded with {@code reason}, a new revocation list is published and every
     * {@link RevocationListener} is called with {@link #APP_SIGNER_OWNER}. Later calls of
     * {@link #signApp} use the new key; signatures made before stay as they are.
     *
     * @param reason a revocation reason such as {@code key_compromise}
     */
    AppSignerReplacement replaceAppSigner(String reason);

    /**
     * Issues a certificate for a node from its certificate signing request, records it, and
     * revokes the node's earlier certificates when {@code revokePrevious} is set.
     *
     * @param csr PEM or DER PKCS#10 request with an EC P-256 or Ed25519 key; its subject is ignored
     * @throws io.weft.pki.PkiException when the request is malformed, badly signed or has another key type
     */
    IssuedNodeCertificate issueNodeCertificate(String nodeId, byte[] csr, boolean revokePrevious);

    /**
     * Issues a certificate as {@link #issueNodeCertificate(String, byte[], boolean)} does, for a
     * request that the caller has already validated with {@link CertificationRequests#validate},
     * so that its signature is not verified twice.
     */
    IssuedNodeCertificate issueNodeCertificate(String nodeId, CertificationRequests.ValidatedRequest request,
            boolean revokePrevious);

    /**
     * Revokes every certificate of the node, publishes a new revocation list, and calls every
     * {@link RevocationListener}.
     *
     * @return the serials revoked now, empty when the node had no valid certificate
     */
    List<BigInteger> revokeNode(String nodeId, String reason);

    /** Returns the serials of the revoked certificates that have not expired yet. */
    Set<BigInteger> revokedSerials();

    /**
     * Returns the current revocation list, signed by the issuing CA, as PEM.
     *
     * @throws IOException when the published list cannot be read
     */
    String revocationListPem() throws IOException;
}
