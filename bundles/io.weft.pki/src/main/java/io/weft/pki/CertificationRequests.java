package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Issuer;
import io.weft.pki.internal.KeyTypes;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds PKCS#10 certification requests on a node and validates them on the manager. */
public final class CertificationRequests {

    /** Maximum size of an encoded request that {@link #validate} reads. */
    public static final int MAX_BYTES = 64 * 1024;

    private CertificationRequests() {
    }

    /**
     * A request whose signature was verified with its own public key.
     *
     * @param publicKey the key to certify
     * @param keyType   its type, one of the accepted types
     * @param subject   the subject that the request asked for, in RFC 2253 form, which the CA ignores
     */
    public record ValidatedRequest(PublicKey publicKey, KeyType keyType, String subject) {
    }

    /**
     * Builds a PEM {@code CERTIFICATE REQUEST} with subject {@code CN=<commonName>}, signed by
     * the key pair's private key.
     */
    public static String create(KeyPair keyPair, String commonName, SecureRandom random) {
        Objects.requireNonNull(keyPair, "keyPair");
        KeyType type = KeyType.of(keyPair.getPublic(), KeyType.ALL);
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(), keyPair.getPublic());
        PKCS10CertificationRequest request = builder.build(Issuer.signer(keyPair.getPrivate(), type, random));
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(request);
        } catch (IOException e) {
            throw new PkiException("Writing the certification request failed: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /**
     * Parses a PEM or DER PKCS#10 request, verifies its signature and checks that its key is
     * one of {@code acceptedKeys}, such as {@link KeyType#NODE_KEYS}.
     *
     * @throws PkiException when the input is not a request, its signature is invalid, or its key
     *                      type is not accepted. The message names the key type found and the
     *                      accepted ones.
     */
    public static ValidatedRequest validate(byte[] encoded, Set<KeyType> acceptedKeys) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length > MAX_BYTES) {
            throw new PkiException("The certification request has " + encoded.length
                    + " bytes, more than the maximum of " + MAX_BYTES + ".");
        }
        PKCS10CertificationRequest request = decode(encoded);
        KeyType type = KeyTypes.classify(request.getSubjectPublicKeyInfo(), acceptedKeys);
        requireValidSignature(request);
        PublicKey key = KeyTypes.toPublicKey(request.getSubjectPublicKeyInfo());
        return new ValidatedRequest(key, type, subjectName(request));
    }

    private static String subjectName(PKCS10CertificationRequest request) {
        try {
            return new X500Principal(request.getSubject().getEncoded()).getName();
        } catch (IOException | IllegalArgumentException e) {
            throw new PkiException("The certification request's subject is malformed: " + e.getMessage(), e);
        }
    }

    private static PKCS10CertificationRequest decode(byte[] encoded) {
        String text = new String(encoded, StandardCharsets.US_ASCII);
        try {
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object object = parser.readObject();
                    if (object instanceof PKCS10CertificationRequest) {
                        return (PKCS10CertificationRequest) object;
                    }
                }
                throw new PkiException("The PEM text contains no CERTIFICATE REQUEST block.");
            }
            return new PKCS10CertificationRequest(encoded);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException) {
                throw (PkiException) e;
            }
            throw new PkiException("The certification request is neither PEM nor DER PKCS#10: " + e.getMessage(), e);
        }
    }

    private static void requireValidSignature(PKCS10CertificationRequest request) {
        boolean valid;
        try {
            valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER)
                    .build(request.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new PkiException("Verifying the certification request's signature failed: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new PkiException("The certification request's signature is invalid: it was not made with the"
                    + " private key of the requested public key, or the request was modified.");
        }
    }
}
