package io.weft.pki.internal;

import io.weft.pki.KeyType;
import io.weft.pki.PkiException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/** Checks that a root CA certificate, an issuing CA certificate and its private key form a usable CA. */
public final class CaValidation {

    private static final int KEY_CERT_SIGN = 5;

    private CaValidation() {
    }

    /**
     * Checks the pair of CA certificates and the issuing key at {@code now}.
     *
     * @throws PkiException naming the first check that fails
     */
    public static void check(X509Certificate root, X509Certificate issuing, PrivateKey issuingKey, Instant now,
            SecureRandom random) {
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal()) || !signedBy(root, root)) {
            throw new PkiException("The root CA certificate " + Certs.describe(root) + " is not self-signed.");
        }
        requireCa("root CA", root);
        requireValid("root CA", root, now);
        if (!issuing.getIssuerX500Principal().equals(root.getSubjectX500Principal()) || !signedBy(issuing, root)) {
            throw new PkiException("The issuing CA certificate " + Certs.describe(issuing) + " is issued by '"
                    + issuing.getIssuerX500Principal().getName() + "' and does not chain to the root CA "
                    + Certs.describe(root) + ".");
        }
        requireCa("issuing CA", issuing);
        requireValid("issuing CA", issuing, now);
        KeyType keyType = KeyType.of(issuing.getPublicKey(), KeyType.ALL);
        requireKeyMatches(issuing, issuingKey, keyType, random);
    }

    private static void requireCa(String role, X509Certificate certificate) {
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException("The " + role + " certificate " + Certs.describe(certificate)
                    + " is not a CA certificate: its basic constraints extension is missing or says cA=false.");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage == null || !keyUsage[KEY_CERT_SIGN]) {
            throw new PkiException("The " + role + " certificate " + Certs.describe(certificate)
                    + " lacks the keyCertSign key usage, so it may not sign certificates.");
        }
    }

    private static void requireValid(String role, X509Certificate certificate, Instant now) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new PkiException("The " + role + " certificate " + Certs.describe(certificate) + " expired at "
                    + certificate.getNotAfter().toInstant() + ".");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new PkiException("The " + role + " certificate " + Certs.describe(certificate)
                    + " is not valid before " + certificate.getNotBefore().toInstant() + ".");
        }
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            return Certs.holder(certificate).isSignatureValid(
                    new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(issuer));
        } catch (OperatorCreationException | CertException e) {
            return false;
        }
    }

    /** Signs random bytes with the private key and verifies them with the certificate's public key. */
    private static void requireKeyMatches(X509Certificate certificate, PrivateKey key, KeyType type,
            SecureRandom random) {
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(type.signatureAlgorithm(), Bc.PROVIDER);
            signer.initSign(key, random);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(type.signatureAlgorithm(), Bc.PROVIDER);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new PkiException("The private key does not match the public key of the issuing CA certificate "
                    + Certs.describe(certificate) + ".");
        }
    }
}
