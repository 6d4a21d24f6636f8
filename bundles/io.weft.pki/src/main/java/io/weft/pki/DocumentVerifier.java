package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import io.weft.pki.internal.Envelope;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Verifies envelopes made by {@link DocumentSigner}, failing closed: the signer chain must
 * pass the {@link TrustVerifier} for the required purpose (which also checks expiry and
 * revocation), the algorithm must be the one that the signer's key type uses, and the
 * signature must match the payload. Instances are thread-safe when the verifier is.
 */
public final class DocumentVerifier {

    /** Maximum size of an envelope, in bytes. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private final TrustVerifier verifier;
    private final KeyPurpose purpose;

    /** @param purpose the extended key usage that the signer certificate must carry, such as {@link KeyPurpose#STATE_SIGNING} */
    public DocumentVerifier(TrustVerifier verifier, KeyPurpose purpose) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
    }

    /** A payload whose signature verified, and the certificate of its signer. */
    public record VerifiedDocument(byte[] payload, X509Certificate signer) {
    }

    /**
     * Verifies an envelope and returns its payload.
     *
     * @throws PkiException with the reason when the envelope is malformed, the signer is not
     *                      trusted for the purpose, or the signature does not match
     */
    public VerifiedDocument verify(byte[] envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.length > MAX_BYTES) {
            throw new PkiException("The signed document has " + envelope.length + " bytes, more than the maximum of "
                    + MAX_BYTES + ".");
        }
        Envelope parsed = Envelope.decode(envelope);
        X509Certificate signer;
        try {
            signer = verifier.verify(parsed.chain(), purpose);
        } catch (PkiException e) {
            throw new PkiException("The signer of the document is not trusted: " + e.getMessage(), e);
        }
        KeyType keyType = KeyType.of(signer.getPublicKey(), KeyType.ALL);
        if (!keyType.signatureAlgorithm().equals(parsed.algorithm())) {
            throw new PkiException("The signed document names the algorithm '" + parsed.algorithm() + "', but the "
                    + keyType.displayName() + " key of its signer signs with " + keyType.signatureAlgorithm() + ".");
        }
        requireValidSignature(parsed, signer, keyType);
        return new VerifiedDocument(parsed.payload(), signer);
    }

    private static void requireValidSignature(Envelope envelope, X509Certificate signer, KeyType keyType) {
        boolean valid;
        try {
            Signature signature = Signature.getInstance(keyType.signatureAlgorithm(), Bc.PROVIDER);
            signature.initVerify(signer.getPublicKey());
            signature.update(envelope.payload());
            valid = signature.verify(envelope.signature());
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new PkiException("The signature of the document does not match its payload and the signer "
                    + Certs.describe(signer) + ". The document was modified or signed by another key.");
        }
    }
}
