package io.weft.pki;

import io.weft.pki.internal.Bc;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs edge app bundles for the manager's repository: a detached CMS SignedData (RFC 5652)
 * over the bundle bytes, SHA-256 with ECDSA, with the signer's certificate chain embedded and
 * the standard signed attributes (content type, message digest, signing time).
 * {@link AppSignatureVerifier} checks it. Instances are thread-safe.
 */
public final class AppSigner {

    /** The only signature algorithm of app signatures. */
    public static final String ALGORITHM = "SHA256withECDSA";

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final SecureRandom random;

    /**
     * @param key   the private key of an EC P-256 certificate with {@link KeyPurpose#APP_SIGNING}
     * @param chain the signer's certificate first, then its issuers
     */
    public AppSigner(PrivateKey key, List<X509Certificate> chain, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = List.copyOf(chain);
        this.random = Objects.requireNonNull(random, "random");
        if (this.chain.isEmpty()) {
            throw new PkiException("The app signer chain is empty.");
        }
        KeyType type = KeyType.of(this.chain.get(0).getPublicKey(), KeyType.ALL);
        if (type != KeyType.EC_P256) {
            throw new PkiException("App signatures use " + ALGORITHM + ", but the signer certificate has an "
                    + type.displayName() + " key; issue it for an EC P-256 key.");
        }
    }

    /** Signs the bundle bytes and returns the DER-encoded detached CMS SignedData. */
    public byte[] sign(byte[] bundle) {
        Objects.requireNonNull(bundle, "bundle");
        try {
            ContentSigner signer = new JcaContentSignerBuilder(ALGORITHM).setProvider(Bc.PROVIDER)
                    .setSecureRandom(random).build(key);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                    .build(signer, chain.get(0)));
            generator.addCertificates(new JcaCertStore(chain));
            return generator.generate(new CMSProcessableByteArray(bundle), false).getEncoded();
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | IOException e) {
            throw new PkiException("Signing the app bundle with " + ALGORITHM + " failed: " + e.getMessage(), e);
        }
    }
}
