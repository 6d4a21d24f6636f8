package io.weft.pki;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads and writes certificates, CRLs and private keys as PEM text (RFC 7468), with Bouncy
 * Castle's {@link PEMParser} and {@link JcaPEMWriter}.
 *
 * <p>Encrypted private keys are PKCS#8 {@code ENCRYPTED PRIVATE KEY} blocks: PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, which OpenSSL 3.0 reads with
 * {@code openssl pkey -in key.pem}.
 */
public final class Pem {

    /**
     * PBKDF2 iterations for encrypted keys. Weft's passphrases are 256-bit random values, so
     * the iteration count adds no strength to them. It is set for passphrases that an operator
     * chooses for an imported key.
     */
    public static final int PBKDF2_ITERATIONS = 100_000;

    private Pem() {
    }

    public static String toPem(X509Certificate certificate) {
        return write(List.of(certificate));
    }

    /** Writes certificates in order, one PEM block each. */
    public static String toPem(List<X509Certificate> certificates) {
        return write(new ArrayList<>(certificates));
    }

    public static String toPem(X509CRL crl) {
        return write(List.of(crl));
    }

    /** Writes an unencrypted PKCS#8 {@code PRIVATE KEY} block, for a file that only its owner can read. */
    public static String toPem(PrivateKey key) {
        try {
            return write(List.of(new JcaPKCS8Generator(key, null).generate()));
        } catch (IOException e) {
            throw new PkiException("Encoding the private key failed: " + e.getMessage(), e);
        }
    }

    /** Writes an encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} block protected by {@code passphrase}. */
    public static String toEncryptedPem(PrivateKey key, char[] passphrase, SecureRandom random) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(random)
                    .setPassword(passphrase)
                    .setProvider(Bc.PROVIDER)
                    .build();
            return write(List.of(new JcaPKCS8Generator(key, encryptor).generate()));
        } catch (OperatorCreationException | IOException e) {
            throw new PkiException("Encrypting the private key failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every {@code CERTIFICATE} block of {@code pem}, in order.
     *
     * @throws PkiException when the text contains no certificate, or a block is malformed or of
     *                      another type
     */
    public static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : parseAll(pem, "certificate")) {
            if (!(object instanceof X509CertificateHolder)) {
                throw new PkiException("Expected only CERTIFICATE blocks, but the PEM text contains "
                        + describe(object) + ".");
            }
            certificates.add(Certs.toX509((X509CertificateHolder) object));
        }
        if (certificates.isEmpty()) {
            throw new PkiException("The PEM text contains no CERTIFICATE block.");
        }
        return certificates;
    }

    /** Reads a PEM text that contains exactly one certificate. */
    public static X509Certificate readCertificate(String pem) {
        List<X509Certificate> certificates = readCertificates(pem);
        if (certificates.size() != 1) {
            throw new PkiException("Expected one certificate, but the PEM text contains " + certificates.size() + ".");
        }
        return certificates.get(0);
    }

    /**
     * Reads an unencrypted private key: a PKCS#8 {@code PRIVATE KEY} or a traditional
     * {@code EC PRIVATE KEY} block.
     */
    public static PrivateKey readPrivateKey(String pem) {
        return readPrivateKey(pem, null);
    }

    /**
     * Reads a private key that may be encrypted. An {@code ENCRYPTED PRIVATE KEY} block needs
     * {@code passphrase}, and unencrypted blocks ignore it.
     *
     * @throws PkiException when the text contains no private key, the key is encrypted and no or
     *                      a wrong passphrase is given, or the block is malformed
     */
    public static PrivateKey readPrivateKey(String pem, char[] passphrase) {
        List<Object> objects = parseAll(pem, "private key");
        if (objects.size() != 1) {
            throw new PkiException("Expected one private key block, but the PEM text contains " + objects.size()
                    + " blocks.");
        }
        Object object = objects.get(0);
        PrivateKeyInfo info;
        if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
            info = decrypt((PKCS8EncryptedPrivateKeyInfo) object, passphrase);
        } else if (object instanceof PrivateKeyInfo) {
            info = (PrivateKeyInfo) object;
        } else if (object instanceof PEMKeyPair) {
            info = ((PEMKeyPair) object).getPrivateKeyInfo();
        } else {
            throw new PkiException("Expected a private key, but the PEM text contains " + describe(object) + ".");
        }
        try {
            return new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPrivateKey(info);
        } catch (PEMException e) {
            throw new PkiException("The private key is malformed or of an unsupported type: " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] passphrase) {
        if (passphrase == null) {
            throw new PkiException("The private key is encrypted, but no passphrase was given.");
        }
        try {
            InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(passphrase);
            return encrypted.decryptPrivateKeyInfo(decryptor);
        } catch (OperatorCreationException | PKCSException e) {
            throw new PkiException("Decrypting the private key failed: the passphrase is wrong or the key is"
                    + " corrupt.", e);
        }
    }

    static List<Object> parseAll(String pem, String expected) {
        Objects.requireNonNull(pem, "pem");
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException("The " + expected + " is not valid PEM text: " + e.getMessage(), e);
        }
        return objects;
    }

    private static String describe(Object object) {
        return "a block of type " + object.getClass().getSimpleName();
    }

    private static String write(List<?> objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new PkiException("Writing PEM text failed: " + e.getMessage(), e);
        }
        return text.toString();
    }
}
