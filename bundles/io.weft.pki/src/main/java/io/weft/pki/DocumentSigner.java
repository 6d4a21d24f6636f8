package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Envelope;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Signs documents, such as a node's desired state, into a JSON envelope that carries the
 * payload, the signature algorithm, the signature and the signer's certificate chain:
 *
 * <pre>{"format":"weft-signed-v1","algorithm":"SHA256withECDSA","payload":"&lt;Base64&gt;",
 * "signature":"&lt;Base64&gt;","chain":["&lt;Base64 DER leaf&gt;","&lt;Base64 DER issuing CA&gt;",…]}</pre>
 *
 * <p>The signature covers the payload bytes exactly. An ECDSA signature is DER-encoded, as JCA
 * produces it. JSON was chosen over CMS SignedData because the envelope is read by Weft code
 * only and stays readable in logs and tests. {@link DocumentVerifier} reads it.
 * Instances are thread-safe.
 */
public final class DocumentSigner {

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final KeyType keyType;
    private final SecureRandom random;

    /**
     * @param key   the signer's private key
     * @param chain the signer's certificate first, then its issuers, usually from
     *              {@link CertificateAuthority#chainFor}
     */
    public DocumentSigner(PrivateKey key, List<X509Certificate> chain, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new PkiException("The signer chain is empty.");
        }
        this.keyType = KeyType.of(this.chain.get(0).getPublicKey(), KeyType.ALL);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Signs {@code payload} and returns the UTF-8 JSON envelope. */
    public byte[] sign(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(keyType.signatureAlgorithm(), Bc.PROVIDER);
            signer.initSign(key, random);
            signer.update(payload);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new PkiException("Signing the document with " + keyType.signatureAlgorithm() + " failed: "
                    + e.getMessage(), e);
        }
        return new Envelope(keyType.signatureAlgorithm(), payload, signature, chain).encode();
    }
}
