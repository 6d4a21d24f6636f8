package io.weft.pki;

import io.weft.pki.internal.CaValidation;
import io.weft.pki.internal.Issuer;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Creates, imports and loads the Weft CA in a directory that only its owner can access (mode
 * 0700). The directory contains:
 *
 * <ul>
 * <li>{@value #PASSPHRASE_FILE}: a generated random passphrase (256 bits, Base64url), mode 0600</li>
 * <li>{@value #ROOT_CERTIFICATE_FILE} and {@value #ISSUING_CERTIFICATE_FILE}: the CA certificates as PEM</li>
 * <li>{@value #ISSUING_KEY_FILE}: the issuing CA's private key, encrypted PKCS#8 PEM, mode 0600</li>
 * <li>{@value #ROOT_KEY_FILE}: the root CA's private key in the same form, only when this class
 * created the CA, since an imported CA brings no root key</li>
 * </ul>
 *
 * <p>Every file is created with mode 0600 from its first moment. The passphrase protects the
 * keys in backups that copy the key files without the passphrase file.
 */
public final class CaFiles {

    public static final String PASSPHRASE_FILE = "ca-passphrase";
    public static final String ROOT_CERTIFICATE_FILE = "root-ca.pem";
    public static final String ROOT_KEY_FILE = "root-ca-key.pem";
    public static final String ISSUING_CERTIFICATE_FILE = "issuing-ca.pem";
    public static final String ISSUING_KEY_FILE = "issuing-ca-key.pem";

    /** Lifetime of a created root CA: 10 years. */
    public static final Duration ROOT_LIFETIME = Duration.ofDays(3653);
    /** Lifetime of a created issuing CA: 5 years. */
    public static final Duration ISSUING_LIFETIME = Duration.ofDays(1826);
    /** Key type of created root and issuing CAs: P-256, whose signatures cost less CPU than P-384's at every enrollment and handshake. */
    public static final KeyType CA_KEY_TYPE = KeyType.EC_P256;

    private static final int PASSPHRASE_BYTES = 32;
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private final Clock clock;
    private final SecureRandom random;

    public CaFiles(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns true when {@code directory} contains an issuing CA certificate. */
    public static boolean exists(Path directory) {
        return Files.exists(directory.resolve(ISSUING_CERTIFICATE_FILE));
    }

    /**
     * Creates a root CA ({@code CN=<name> Root CA, O=Weft}, 10 years) and an issuing CA
     * ({@code CN=<name> Issuing CA, O=Weft}, 5 years, path length 0), both EC P-384, and
     * stores them in {@code directory}. A name unique to the installation, such as one with a
     * random suffix, lets messages tell CAs of different installations apart.
     *
     * @throws FileAlreadyExistsException when the directory already contains a CA file
     * @throws IOException                when a file cannot be written
     */
    public CertificateAuthority create(Path directory, String name) throws IOException {
        Objects.requireNonNull(name, "name");
        requireNoCaFiles(directory);
        Instant now = clock.instant();
        Instant notBefore = now.minus(CertificateAuthority.CLOCK_SKEW);

        KeyPair rootKeys = KeyPairs.generate(CA_KEY_TYPE, random);
        X509Certificate root = Issuer.root(Issuer.caName(name + " Root CA"), rootKeys, CA_KEY_TYPE, notBefore,
                now.plus(ROOT_LIFETIME), random);
        KeyPair issuingKeys = KeyPairs.generate(CA_KEY_TYPE, random);
        X509Certificate issuing = Issuer.intermediate(root, rootKeys.getPrivate(), CA_KEY_TYPE,
                Issuer.caName(name + " Issuing CA"), issuingKeys.getPublic(), notBefore, now.plus(ISSUING_LIFETIME),
                random);

        char[] passphrase = createPassphrase(directory);
        try {
            writeKey(directory.resolve(ROOT_KEY_FILE), rootKeys.getPrivate(), passphrase);
            writeKey(directory.resolve(ISSUING_KEY_FILE), issuingKeys.getPrivate(), passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        writeCertificates(directory, root, issuing);
        return new CertificateAuthority(root, issuing, issuingKeys.getPrivate(), clock, random);
    }

    /**
     * Imports an existing CA after validating it: the root certificate is self-signed, the
     * issuing certificate is signed by it, both are CA certificates with the keyCertSign key
     * usage and valid now, and the private key matches the issuing certificate. The issuing key
     * is stored encrypted with a new generated passphrase.
     *
     * @param keyPassphrase passphrase of an encrypted {@code issuingKeyPem}, or null
     * @throws PkiException               naming the failed check
     * @throws FileAlreadyExistsException when the directory already contains a CA file
     * @throws IOException                when a file cannot be written
     */
    public CertificateAuthority importCa(Path directory, String rootPem, String issuingPem, String issuingKeyPem,
            char[] keyPassphrase) throws IOException {
        X509Certificate root = single("root CA", rootPem);
        X509Certificate issuing = single("issuing CA", issuingPem);
        PrivateKey issuingKey = Pem.readPrivateKey(issuingKeyPem, keyPassphrase);
        CaValidation.check(root, issuing, issuingKey, clock.instant(), random);

        requireNoCaFiles(directory);
        char[] passphrase = createPassphrase(directory);
        try {
            writeKey(directory.resolve(ISSUING_KEY_FILE), issuingKey, passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        writeCertificates(directory, root, issuing);
        return new CertificateAuthority(root, issuing, issuingKey, clock, random);
    }

    /**
     * Loads the CA that {@link #create} or {@link #importCa} stored, and validates it as
     * {@link #importCa} does.
     *
     * @throws NoSuchFileException when a CA file is missing
     * @throws IOException         when a file cannot be read, or the passphrase or key file can
     *                             be accessed by other users
     * @throws PkiException        when a file is malformed or the CA fails validation, for
     *                             example because a certificate expired
     */
    public CertificateAuthority load(Path directory) throws IOException {
        X509Certificate root = single("root CA", readText(directory.resolve(ROOT_CERTIFICATE_FILE), false));
        X509Certificate issuing = single("issuing CA", readText(directory.resolve(ISSUING_CERTIFICATE_FILE), false));
        char[] passphrase = readPassphrase(directory.resolve(PASSPHRASE_FILE));
        PrivateKey issuingKey;
        try {
            issuingKey = Pem.readPrivateKey(readText(directory.resolve(ISSUING_KEY_FILE), true), passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        CaValidation.check(root, issuing, issuingKey, clock.instant(), random);
        return new CertificateAuthority(root, issuing, issuingKey, clock, random);
    }

    private static void requireNoCaFiles(Path directory) throws IOException {
        for (String name : List.of(PASSPHRASE_FILE, ROOT_CERTIFICATE_FILE, ROOT_KEY_FILE, ISSUING_CERTIFICATE_FILE,
                ISSUING_KEY_FILE)) {
            if (Files.exists(directory.resolve(name))) {
                throw new FileAlreadyExistsException(directory.resolve(name).toString(), null,
                        "A CA file exists already. Load the CA, or move the directory away to start over.");
            }
        }
        OwnerOnlyFiles.createPrivateDirectory(directory);
    }

    private char[] createPassphrase(Path directory) throws IOException {
        byte[] bytes = new byte[PASSPHRASE_BYTES];
        random.nextBytes(bytes);
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode(bytes);
        Arrays.fill(bytes, (byte) 0);
        char[] passphrase = new char[text.length];
        for (int i = 0; i < text.length; i++) {
            passphrase[i] = (char) text[i];
        }
        try {
            OwnerOnlyFiles.createNew(directory.resolve(PASSPHRASE_FILE), text);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
        return passphrase;
    }

    private static char[] readPassphrase(Path file) throws IOException {
        byte[] content = OwnerOnlyFiles.read(file, MAX_FILE_BYTES);
        try {
            CharBuffer chars = StandardCharsets.US_ASCII.decode(java.nio.ByteBuffer.wrap(content));
            char[] passphrase = new char[chars.remaining()];
            chars.get(passphrase);
            Arrays.fill(chars.array(), '\0');
            int length = passphrase.length;
            while (length > 0 && Character.isWhitespace(passphrase[length - 1])) {
                length--;
            }
            char[] trimmed = Arrays.copyOf(passphrase, length);
            Arrays.fill(passphrase, '\0');
            return trimmed;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private void writeKey(Path file, PrivateKey key, char[] passphrase) throws IOException {
        OwnerOnlyFiles.createNew(file, Pem.toEncryptedPem(key, passphrase, random).getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeCertificates(Path directory, X509Certificate root, X509Certificate issuing)
            throws IOException {
        OwnerOnlyFiles.createNew(directory.resolve(ROOT_CERTIFICATE_FILE),
                Pem.toPem(root).getBytes(StandardCharsets.US_ASCII));
        OwnerOnlyFiles.createNew(directory.resolve(ISSUING_CERTIFICATE_FILE),
                Pem.toPem(issuing).getBytes(StandardCharsets.US_ASCII));
    }

    private static String readText(Path file, boolean secret) throws IOException {
        byte[] content = secret ? OwnerOnlyFiles.read(file, MAX_FILE_BYTES) : Files.readAllBytes(file);
        return new String(content, StandardCharsets.US_ASCII);
    }

    private static X509Certificate single(String role, String pem) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.readCertificates(pem);
        } catch (PkiException e) {
            throw new PkiException("The " + role + " certificate is invalid: " + e.getMessage(), e);
        }
        if (certificates.size() != 1) {
            throw new PkiException("Expected one " + role + " certificate, but the PEM text contains "
                    + certificates.size() + ".");
        }
        return certificates.get(0);
    }
}
