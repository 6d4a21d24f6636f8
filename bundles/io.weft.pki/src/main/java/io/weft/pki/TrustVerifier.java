package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Verifies that a certificate chain leads to the Weft root CA, that no certificate in it is
 * expired or revoked, and that the end-entity certificate may be used for a given purpose.
 *
 * <p>The signatures and CA constraints are checked by the PKIX {@link CertPathValidator}
 * (RFC 5280) of Bouncy Castle with the root certificate as the only {@link TrustAnchor}.
 * Revocation comes from a supplier of revoked serial numbers that is read on every call, so
 * a caller can revoke a certificate while connections are open. Instances are thread-safe
 * when the supplier is.
 *
 * <p>Every node chain of one manager contains the same issuing CA certificate, so the verifier
 * remembers up to {@value #MAX_CACHED_ISSUERS} issuing CA certificates whose path to the root
 * validated. A later chain of leaf and remembered issuing CA is validated with that CA as the
 * trust anchor, which checks the leaf's signature, names and constraints and skips the
 * signature of the CA certificate. A TLS handshake then verifies one certificate signature
 * instead of two. The validity and revocation of every certificate are still checked on each
 * call. A CA is remembered only when neither it nor the root carries name or policy
 * constraints, because PKIX does not apply the constraints of a trust anchor certificate.
 */
public final class TrustVerifier {

    /** Maximum chain length, leaf through root. Weft chains have 3 certificates. */
    public static final int MAX_CHAIN_LENGTH = 5;

    /** Issuing CA certificates remembered after their path to the root validated. */
    static final int MAX_CACHED_ISSUERS = 8;

    /** Extensions whose constraints PKIX ignores in a trust anchor certificate: name and policy constraints. */
    private static final List<String> ANCHOR_CONSTRAINT_EXTENSIONS = List.of(
            "2.5.29.30", "2.5.29.32", "2.5.29.33", "2.5.29.36", "2.5.29.54");

    /** Remembered issuing CA certificates, each mapped to its Bouncy Castle form. */
    private final Map<X509Certificate, X509Certificate> validatedIssuers = new ConcurrentHashMap<>();
    private final X509Certificate root;
    private final X509Certificate bcRoot;
    private final Supplier<? extends Collection<BigInteger>> revokedSerials;
    private final Clock clock;

    /**
     * @param root           the Weft root CA certificate, the only trust anchor
     * @param revokedSerials returns the serials of revoked certificates issued by the Weft CA
     * @param clock          the time at which certificates must be valid
     */
    public TrustVerifier(X509Certificate root, Supplier<? extends Collection<BigInteger>> revokedSerials,
            Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.bcRoot = toBc(root);
        this.revokedSerials = Objects.requireNonNull(revokedSerials, "revokedSerials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns a verifier that treats no certificate as revoked, for first contact before the node has a revocation list. */
    public static TrustVerifier withoutRevocation(X509Certificate root, Clock clock) {
        return new TrustVerifier(root, Set::of, clock);
    }

    public X509Certificate root() {
        return root;
    }

    /**
     * Verifies {@code chain}, ordered from the end-entity certificate towards the root, which
     * may be included or omitted.
     *
     * @return the end-entity certificate
     * @throws PkiException with the reason, such as "certificate serial 0x… is revoked"
     */
    public X509Certificate verify(List<X509Certificate> chain, KeyPurpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        List<X509Certificate> path = pathWithoutRoot(chain);
        Instant now = clock.instant();
        for (X509Certificate certificate : path) {
            requireValidAt(certificate, now);
        }
        requireValidAt(root, now);
        requireChainsToRoot(path, now);
        requireNotRevoked(path);
        X509Certificate leaf = path.get(0);
        requirePurpose(leaf, purpose);
        return leaf;
    }

    private List<X509Certificate> pathWithoutRoot(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            throw new PkiException("The peer presented no certificate.");
        }
        if (chain.size() > MAX_CHAIN_LENGTH) {
            throw new PkiException("The certificate chain has " + chain.size() + " certificates, more than the"
                    + " maximum of " + MAX_CHAIN_LENGTH + ".");
        }
        List<X509Certificate> path = new ArrayList<>(chain);
        while (!path.isEmpty() && path.get(path.size() - 1).equals(root)) {
            path.remove(path.size() - 1);
        }
        if (path.isEmpty()) {
            throw new PkiException("The chain contains only the Weft root CA certificate and no end-entity"
                    + " certificate.");
        }
        return path;
    }

    private static void requireValidAt(X509Certificate certificate, Instant now) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new PkiException("Certificate " + Certs.describe(certificate) + " expired at "
                    + certificate.getNotAfter().toInstant() + ".");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new PkiException("Certificate " + Certs.describe(certificate) + " is not valid before "
                    + certificate.getNotBefore().toInstant() + ". Check the clocks of both hosts.");
        }
    }

    private void requireChainsToRoot(List<X509Certificate> path, Instant now) {
        X509Certificate issuer = path.size() == 2 ? validatedIssuers.get(path.get(1)) : null;
        if (issuer != null) {
            validate(path, path.subList(0, 1), issuer, now);
            return;
        }
        validate(path, path, bcRoot, now);
        if (path.size() == 2 && validatedIssuers.size() < MAX_CACHED_ISSUERS && withoutAnchorConstraints(path.get(1))
                && withoutAnchorConstraints(root)) {
            validatedIssuers.put(path.get(1), toBc(path.get(1)));
        }
    }

    /**
     * Validates {@code validated}, the whole {@code path} or its leaf, against {@code anchor}.
     * The certificates are parsed again by Bouncy Castle, because the validator verifies each
     * signature with the certificate's own provider. In loops on a shared 2-core machine, an
     * ECDSA P-256 verification with Bouncy Castle 1.87 was 4 to 9 times faster than with the
     * JDK 17 provider. It was faster still when the verifying key object was reused, as the key
     * of a remembered CA is.
     */
    private void validate(List<X509Certificate> path, List<X509Certificate> validated, X509Certificate anchor,
            Instant now) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Bc.PROVIDER);
            List<X509Certificate> parsed = new ArrayList<>(validated.size());
            for (X509Certificate certificate : validated) {
                parsed.add(toBc(factory, certificate));
            }
            CertPath certPath = factory.generateCertPath(parsed);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX", Bc.PROVIDER).validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw notIssuedByRoot(path, e);
        } catch (GeneralSecurityException e) {
            throw new PkiException("Validating the certificate chain of " + Certs.describe(path.get(0))
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static X509Certificate toBc(X509Certificate certificate) {
        try {
            return toBc(CertificateFactory.getInstance("X.509", Bc.PROVIDER), certificate);
        } catch (GeneralSecurityException e) {
            throw new PkiException("Reading certificate " + Certs.describe(certificate) + " failed: " + e.getMessage(),
                    e);
        }
    }

    private static X509Certificate toBc(CertificateFactory factory, X509Certificate certificate)
            throws GeneralSecurityException {
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }

    private static boolean withoutAnchorConstraints(X509Certificate certificate) {
        return ANCHOR_CONSTRAINT_EXTENSIONS.stream().noneMatch(oid -> certificate.getExtensionValue(oid) != null);
    }

    private PkiException notIssuedByRoot(List<X509Certificate> path, CertPathValidatorException cause) {
        X509Certificate top = path.get(path.size() - 1);
        String weftCa = "the Weft CA '" + root.getSubjectX500Principal().getName() + "' (SHA-256 fingerprint "
                + Fingerprint.of(root) + ")";
        if (!top.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            return new PkiException("Certificate " + Certs.describe(top) + " is issued by '"
                    + top.getIssuerX500Principal().getName() + "', which is not " + weftCa + ".", cause);
        }
        return new PkiException("The certificate chain of " + Certs.describe(path.get(0)) + " does not validate to "
                + weftCa + ": " + cause.getMessage(), cause);
    }

    private void requireNotRevoked(List<X509Certificate> path) {
        Collection<BigInteger> revoked = revokedSerials.get();
        for (X509Certificate certificate : path) {
            if (revoked.contains(certificate.getSerialNumber())) {
                throw new PkiException("Certificate serial " + Certs.serialHex(certificate.getSerialNumber()) + " ('"
                        + certificate.getSubjectX500Principal().getName() + "') is revoked.");
            }
        }
    }

    private static void requirePurpose(X509Certificate leaf, KeyPurpose purpose) {
        if (leaf.getBasicConstraints() >= 0) {
            throw new PkiException("Certificate " + Certs.describe(leaf)
                    + " is a CA certificate, not an end-entity certificate.");
        }
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new PkiException("The extended key usage of certificate " + Certs.describe(leaf)
                    + " is malformed.", e);
        }
        if (usages == null || !usages.contains(purpose.oid())) {
            throw new PkiException("Certificate " + Certs.describe(leaf) + " lacks the extended key usage "
                    + purpose.displayName() + " (" + purpose.oid() + ").");
        }
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && !keyUsage[0]) {
            throw new PkiException("Certificate " + Certs.describe(leaf) + " lacks the digitalSignature key usage.");
        }
    }
}
