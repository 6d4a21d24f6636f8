package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies the signature of an edge app bundle made by {@link AppSigner}, failing closed, in
 * this order: the CMS structure (one signer, detached content, SHA-256 with ECDSA), the
 * signature over the bundle bytes, the signer chain to the Weft root CA with expiry and
 * revocation through the {@link TrustVerifier}, the signer's extended key usage
 * {@link KeyPurpose#APP_SIGNING}, and last the SHA-256 that the deployment names. Each
 * failure raises a {@link PkiException} with its own reason. Instances are thread-safe when
 * the trust verifier is.
 */
public final class AppSignatureVerifier {

    /** Maximum size of an encoded signature, in bytes; a chain of three certificates needs about 2 KiB. */
    public static final int MAX_SIGNATURE_BYTES = 64 * 1024;

    private static final String ECDSA_WITH_SHA256 = X9ObjectIdentifiers.ecdsa_with_SHA256.getId();
    private static final String SHA256 = NISTObjectIdentifiers.id_sha256.getId();

    private final TrustVerifier trust;

    public AppSignatureVerifier(TrustVerifier trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** The certificate of a verified bundle's signer. */
    public record VerifiedApp(X509Certificate signer, String sha256) {
    }

    /**
     * Verifies a bundle file against its detached CMS signature and the digest that the
     * deployment names.
     *
     * @param sha256 the expected SHA-256 of the bundle as 64 hex digits
     * @throws PkiException naming what failed: a missing or malformed signature, a signature
     *                      that does not match the bytes, an untrusted or revoked signer, a
     *                      signer without the app signing purpose, or another digest
     */
    public VerifiedApp verify(Path bundle, byte[] signature, String sha256) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(sha256, "sha256");
        CMSSignedData signed = parse(signature, bundle);
        SignerInformation signer = singleSigner(signed);
        List<X509Certificate> chain = chain(signed, signer);
        requireAlgorithm(signer);
        requireValidSignature(signer, chain.get(0));
        requireTrusted(chain);
        requireDigest(bundle, sha256);
        return new VerifiedApp(chain.get(0), sha256.toLowerCase(Locale.ROOT));
    }

    /** Returns the SHA-256 of a file as 64 lower-case hex digits. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new PkiException("Reading the app bundle " + file + " failed: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    private static CMSSignedData parse(byte[] signature, Path bundle) {
        if (signature == null || signature.length == 0) {
            throw new PkiException("The app bundle " + bundle.getFileName() + " is unsigned: its signature is empty.");
        }
        if (signature.length > MAX_SIGNATURE_BYTES) {
            throw new PkiException("The app signature has " + signature.length + " bytes, more than the maximum of "
                    + MAX_SIGNATURE_BYTES + ".");
        }
        try {
            return new CMSSignedData(new CMSProcessableFile(bundle.toFile()), signature);
        } catch (CMSException | RuntimeException e) {
            throw new PkiException("The app signature is not a DER-encoded CMS SignedData structure: "
                    + e.getMessage(), e);
        }
    }

    private static SignerInformation singleSigner(CMSSignedData signed) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new PkiException("The app signature has " + signers.size() + " signers; it must have exactly one.");
        }
        return signers.iterator().next();
    }

    /** Returns the signer's certificate, then the other embedded certificates in their order. */
    private static List<X509Certificate> chain(CMSSignedData signed, SignerInformation signer) {
        Collection<X509CertificateHolder> embedded = signed.getCertificates().getMatches(null);
        Collection<X509CertificateHolder> matching = signed.getCertificates().getMatches(signer.getSID());
        if (matching.isEmpty()) {
            throw new PkiException("The app signature does not embed the certificate of its signer.");
        }
        X509CertificateHolder leaf = matching.iterator().next();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(toX509(leaf));
        for (X509CertificateHolder holder : embedded) {
            if (!holder.equals(leaf)) {
                chain.add(toX509(holder));
            }
        }
        return chain;
    }

    private static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().setProvider(Bc.PROVIDER).getCertificate(holder);
        } catch (CertificateException e) {
            throw new PkiException("A certificate embedded in the app signature is malformed: " + e.getMessage(), e);
        }
    }

    private static void requireAlgorithm(SignerInformation signer) {
        if (!SHA256.equals(signer.getDigestAlgOID()) || !ECDSA_WITH_SHA256.equals(signer.getEncryptionAlgOID())) {
            throw new PkiException("The app signature uses digest " + signer.getDigestAlgOID() + " and algorithm "
                    + signer.getEncryptionAlgOID() + "; app signatures must use SHA-256 with ECDSA ("
                    + ECDSA_WITH_SHA256 + ").");
        }
    }

    private static void requireValidSignature(SignerInformation signer, X509Certificate certificate) {
        boolean valid;
        try {
            // Built from the public key, so Bouncy Castle does not check the certificate's validity
            // at the signing time attribute: requireTrusted checks it at the current time.
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Bc.PROVIDER)
                    .build(certificate.getPublicKey()));
        } catch (CMSException e) {
            valid = false;
        } catch (OperatorCreationException e) {
            throw new PkiException("Creating the verifier for the app signature failed: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new PkiException("The app signature does not match the bundle bytes and the signer "
                    + Certs.describe(certificate) + ". The bundle was modified after signing or signed by another key.");
        }
    }

    private void requireTrusted(List<X509Certificate> chain) {
        // NOTE: the chain must be valid now, not at signing time, so a bundle signed with an
        // app-signing certificate that has since expired (365 days) fails until it is signed again.
        try {
            trust.verify(chain, KeyPurpose.APP_SIGNING);
        } catch (PkiException e) {
            throw new PkiException("The signer of the app is not trusted: " + e.getMessage(), e);
        }
    }

    private static void requireDigest(Path bundle, String expected) {
        String actual = sha256(bundle);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new PkiException("The app bundle has SHA-256 " + actual + ", but the deployment names " + expected
                    + ". The manager and the node hold different versions of it.");
        }
    }
}
