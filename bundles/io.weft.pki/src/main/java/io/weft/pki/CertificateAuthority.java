package io.weft.pki;

import io.weft.pki.internal.Certs;
import io.weft.pki.internal.Crls;
import io.weft.pki.internal.Issuer;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The Weft issuing CA with its private key, ready to sign certificates and CRLs, and the
 * root CA certificate that it chains to. {@link CaFiles} creates, imports and loads it.
 *
 * <p>Instances are immutable and thread-safe. The private key never leaves the instance.
 */
public final class CertificateAuthority {

    /** How far notBefore lies before the issuing time, so that peers with a slow clock accept a new certificate. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final X509Certificate root;
    private final X509Certificate issuing;
    private final PrivateKey issuingKey;
    private final KeyType issuingKeyType;
    private final Clock clock;
    private final SecureRandom random;

    CertificateAuthority(X509Certificate root, X509Certificate issuing, PrivateKey issuingKey, Clock clock,
            SecureRandom random) {
        this.root = Objects.requireNonNull(root, "root");
        this.issuing = Objects.requireNonNull(issuing, "issuing");
        this.issuingKey = Objects.requireNonNull(issuingKey, "issuingKey");
        this.issuingKeyType = KeyType.of(issuing.getPublicKey(), KeyType.ALL);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Issues an end-entity certificate signed by the issuing CA, with a random 159-bit serial,
     * notBefore {@link #CLOCK_SKEW} before now and notAfter {@code request.lifetime()} after
     * now. A NODE certificate accepts only {@link KeyType#NODE_KEYS}.
     *
     * @throws PkiException when the key type is not accepted, or the issuing CA is not valid
     *                      now or expires before the requested notAfter
     */
    public X509Certificate issue(IssueRequest request) {
        Objects.requireNonNull(request, "request");
        KeyType.of(request.publicKey(),
                request.profile() == CertificateProfile.NODE ? KeyType.NODE_KEYS : KeyType.ALL);
        Instant now = clock.instant();
        Instant notAfter = now.plus(request.lifetime());
        requireIssuingCaCovers(now, notAfter);

        Issuer.EndEntity entity = new Issuer.EndEntity(request.commonName(), request.publicKey(), request.dnsNames(),
                request.ipAddresses(), request.uris(), request.profile().purposes());
        return Issuer.endEntity(issuing, issuingKey, issuingKeyType, entity, now.minus(CLOCK_SKEW), notAfter, random);
    }

    /**
     * Signs an X.509 v2 CRL (RFC 5280, section 5) that lists {@code revoked}, with thisUpdate
     * now, nextUpdate {@code validity} later and the given CRL number, which the caller
     * increases with every CRL it publishes.
     */
    public X509CRL createCrl(Collection<RevokedCertificate> revoked, BigInteger crlNumber, Duration validity) {
        Objects.requireNonNull(revoked, "revoked");
        Objects.requireNonNull(crlNumber, "crlNumber");
        if (crlNumber.signum() < 0) {
            throw new PkiException("The CRL number " + crlNumber + " is negative.");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new PkiException("The CRL validity " + validity + " is not positive.");
        }
        Instant now = clock.instant();
        return Crls.create(issuing, issuingKey, issuingKeyType, revoked, crlNumber, now, now.plus(validity), random);
    }

    /** Returns the chain that a holder of {@code leaf} presents: the leaf, the issuing CA and the root CA. */
    public List<X509Certificate> chainFor(X509Certificate leaf) {
        return List.of(leaf, issuing, root);
    }

    /** Returns the issuing CA certificate and the root CA certificate, in this order. */
    public List<X509Certificate> caChain() {
        return List.of(issuing, root);
    }

    public X509Certificate rootCertificate() {
        return root;
    }

    public X509Certificate issuingCertificate() {
        return issuing;
    }

    /** Returns the SHA-256 fingerprint of the root CA certificate, which enrollment tokens carry. */
    public Fingerprint rootFingerprint() {
        return Fingerprint.of(root);
    }

    private void requireIssuingCaCovers(Instant now, Instant notAfter) {
        if (now.isBefore(issuing.getNotBefore().toInstant())) {
            throw new PkiException("The issuing CA " + Certs.describe(issuing) + " is not valid before "
                    + issuing.getNotBefore().toInstant() + ". Check the manager's clock.");
        }
        if (notAfter.isAfter(issuing.getNotAfter().toInstant())) {
            throw new PkiException("The issuing CA " + Certs.describe(issuing) + " expires at "
                    + issuing.getNotAfter().toInstant() + ", before the requested notAfter " + notAfter
                    + ". Request a shorter lifetime or renew the issuing CA.");
        }
    }
}
