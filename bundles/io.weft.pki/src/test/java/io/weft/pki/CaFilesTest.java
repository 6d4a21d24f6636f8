package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.internal.Bc;
import io.weft.pki.internal.Certs;
import io.weft.pki.internal.Issuer;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaFilesTest {

    @TempDir
    Path temp;

    private final CaFiles files = new CaFiles(TestPki.CLOCK, TestPki.RANDOM);

    @Test
    void createThenLoadReturnsSameCa() throws Exception {
        Path directory = temp.resolve("ca");

        CertificateAuthority created = files.create(directory, "Test");
        CertificateAuthority loaded = files.load(directory);

        assertThat(loaded.rootCertificate()).isEqualTo(created.rootCertificate());
        assertThat(loaded.issuingCertificate()).isEqualTo(created.issuingCertificate());
        assertThat(loaded.rootFingerprint()).isEqualTo(created.rootFingerprint());
        TestPki.Holder node = TestPki.node(loaded, "n1");
        assertThat(TrustVerifier.withoutRevocation(created.rootCertificate(), TestPki.CLOCK)
                .verify(node.chain(), KeyPurpose.TLS_CLIENT)).isEqualTo(node.certificate());
    }

    @Test
    void createdCaHasExpectedConstraints() throws Exception {
        CertificateAuthority ca = files.create(temp.resolve("ca"), "Test");

        X509Certificate root = ca.rootCertificate();
        X509Certificate issuing = ca.issuingCertificate();
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Test Root CA,O=Weft");
        assertThat(issuing.getSubjectX500Principal().getName()).isEqualTo("CN=Test Issuing CA,O=Weft");
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(issuing.getBasicConstraints()).isZero();
        assertThat(issuing.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(KeyType.of(issuing.getPublicKey(), KeyType.ALL)).isEqualTo(CaFiles.CA_KEY_TYPE);
        assertThat(Duration.between(TestPki.NOW, root.getNotAfter().toInstant()).toDays()).isBetween(3652L, 3653L);
        assertThat(Duration.between(TestPki.NOW, issuing.getNotAfter().toInstant()).toDays()).isBetween(1825L, 1826L);
    }

    @Test
    void createWritesOwnerOnlyFiles() throws Exception {
        Path directory = temp.resolve("ca");

        files.create(directory, "Test");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        for (String name : new String[] {CaFiles.PASSPHRASE_FILE, CaFiles.ROOT_KEY_FILE, CaFiles.ISSUING_KEY_FILE,
            CaFiles.ROOT_CERTIFICATE_FILE, CaFiles.ISSUING_CERTIFICATE_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
        assertThat(Files.readString(directory.resolve(CaFiles.ISSUING_KEY_FILE)))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(directory.resolve(CaFiles.PASSPHRASE_FILE))).hasSize(43);
        try (var listing = Files.list(directory)) {
            assertThat(listing).as("no temporary files remain").hasSize(5);
        }
    }

    @Test
    void createRejectsExistingCa() throws Exception {
        Path directory = temp.resolve("ca");
        files.create(directory, "Test");

        assertThatThrownBy(() -> files.create(directory, "Test"))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("A CA file exists already");
    }

    @Test
    void loadRejectsPassphraseReadableByOthers() throws Exception {
        Path directory = temp.resolve("ca");
        files.create(directory, "Test");
        Files.setPosixFilePermissions(directory.resolve(CaFiles.PASSPHRASE_FILE),
                PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> files.load(directory))
                .hasMessageContaining("can be accessed by users other than its owner")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void loadRejectsWrongPassphrase() throws Exception {
        Path directory = temp.resolve("ca");
        files.create(directory, "Test");
        OwnerOnlyFiles.write(directory.resolve(CaFiles.PASSPHRASE_FILE), "not-the-passphrase".getBytes());

        assertThatThrownBy(() -> files.load(directory))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("passphrase is wrong");
    }

    @Test
    void importAcceptsValidCa() throws Exception {
        Source source = source("Other");
        Path directory = temp.resolve("imported");

        CertificateAuthority imported = files.importCa(directory, source.rootPem, source.issuingPem,
                source.keyPem, null);
        CertificateAuthority loaded = files.load(directory);

        assertThat(imported.rootFingerprint()).isEqualTo(Fingerprint.of(source.root));
        assertThat(loaded.issuingCertificate()).isEqualTo(source.issuing);
        assertThat(Files.exists(directory.resolve(CaFiles.ROOT_KEY_FILE))).isFalse();
        assertThat(Files.readString(directory.resolve(CaFiles.ISSUING_KEY_FILE)))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Test
    void importAcceptsEncryptedKeyWithPassphrase() throws Exception {
        Source source = source("Other");
        String encrypted = Pem.toEncryptedPem(source.key.getPrivate(), "s3cret".toCharArray(), TestPki.RANDOM);

        CertificateAuthority imported = files.importCa(temp.resolve("imported"), source.rootPem, source.issuingPem,
                encrypted, "s3cret".toCharArray());

        assertThat(imported.issuingCertificate()).isEqualTo(source.issuing);
    }

    @Test
    void importRejectsKeyOfOtherCertificate() throws Exception {
        Source source = source("Other");
        String otherKey = Pem.toPem(KeyPairs.generate(KeyType.EC_P384, TestPki.RANDOM).getPrivate());

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), source.rootPem, source.issuingPem, otherKey,
                null)).isInstanceOf(PkiException.class).hasMessageContaining("private key does not match");
        assertThat(Files.exists(temp.resolve("imported"))).isFalse();
    }

    @Test
    void importRejectsIssuingCaOfOtherRoot() throws Exception {
        Source source = source("Other");
        Source unrelated = source("Unrelated");

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), unrelated.rootPem, source.issuingPem,
                source.keyPem, null)).isInstanceOf(PkiException.class).hasMessageContaining("does not chain to the root CA");
    }

    @Test
    void importRejectsEndEntityAsIssuingCa() throws Exception {
        Source source = source("Other");
        KeyPair nodeKeys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        X509Certificate signedByRoot = Issuer.endEntity(source.root, source.rootKey, CaFiles.CA_KEY_TYPE,
                new Issuer.EndEntity("n1", nodeKeys.getPublic(), List.of(), List.of(), List.of(),
                        List.of(KeyPurpose.TLS_CLIENT)),
                TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(3600), TestPki.RANDOM);

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), source.rootPem, Pem.toPem(signedByRoot),
                Pem.toPem(nodeKeys.getPrivate()), null))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("issuing CA certificate")
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void importRejectsCaWithoutBasicConstraints() throws Exception {
        KeyPair rootKeys = KeyPairs.generate(KeyType.EC_P256, TestPki.RANDOM);
        X509Certificate root = selfSigned(rootKeys, null, new KeyUsage(KeyUsage.keyCertSign));
        Source source = source("Other");

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), Pem.toPem(root), source.issuingPem,
                source.keyPem, null)).isInstanceOf(PkiException.class).hasMessageContaining("is not a CA certificate");
    }

    @Test
    void importRejectsCaWithoutKeyCertSign() throws Exception {
        KeyPair rootKeys = KeyPairs.generate(KeyType.EC_P256, TestPki.RANDOM);
        X509Certificate root = selfSigned(rootKeys, new BasicConstraints(true), new KeyUsage(KeyUsage.cRLSign));
        Source source = source("Other");

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), Pem.toPem(root), source.issuingPem,
                source.keyPem, null)).isInstanceOf(PkiException.class).hasMessageContaining("lacks the keyCertSign");
    }

    @Test
    void importRejectsExpiredIssuingCa() throws Exception {
        Clock sixYearsAgo = Clock.fixed(TestPki.NOW.minus(Duration.ofDays(6 * 365)), ZoneOffset.UTC);
        CertificateAuthority old = TestPki.createCa(temp.resolve("old"), sixYearsAgo, "Old");
        String key = Files.readString(temp.resolve("old").resolve(CaFiles.ISSUING_KEY_FILE));
        char[] passphrase = Files.readString(temp.resolve("old").resolve(CaFiles.PASSPHRASE_FILE)).toCharArray();

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), Pem.toPem(old.rootCertificate()),
                Pem.toPem(old.issuingCertificate()), key, passphrase))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("issuing CA certificate")
                .hasMessageContaining("expired at");
    }

    @Test
    void importRejectsGarbageCertificate() {
        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), "not a certificate", "x", "y", null))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("root CA certificate is invalid");
    }

    @Test
    void importRejectsEncryptedKeyWithoutPassphrase() throws Exception {
        Source source = source("Other");
        String encrypted = Pem.toEncryptedPem(source.key.getPrivate(), "s3cret".toCharArray(), TestPki.RANDOM);

        assertThatThrownBy(() -> files.importCa(temp.resolve("imported"), source.rootPem, source.issuingPem,
                encrypted, null)).isInstanceOf(PkiException.class).hasMessageContaining("no passphrase was given");
    }

    /** A CA created elsewhere, as PEM texts with an unencrypted key. */
    private record Source(CertificateAuthority ca, X509Certificate root, PrivateKey rootKey, X509Certificate issuing,
            KeyPair key, String rootPem, String issuingPem, String keyPem) {
    }

    private Source source(String name) throws Exception {
        Path directory = temp.resolve("source-" + name);
        CertificateAuthority ca = TestPki.createCa(directory, TestPki.CLOCK, name);
        char[] passphrase = Files.readString(directory.resolve(CaFiles.PASSPHRASE_FILE)).toCharArray();
        var key = Pem.readPrivateKey(Files.readString(directory.resolve(CaFiles.ISSUING_KEY_FILE)), passphrase);
        KeyPair pair = new KeyPair(ca.issuingCertificate().getPublicKey(), key);
        PrivateKey rootKey = Pem.readPrivateKey(Files.readString(directory.resolve(CaFiles.ROOT_KEY_FILE)), passphrase);
        return new Source(ca, ca.rootCertificate(), rootKey, ca.issuingCertificate(), pair, Pem.toPem(ca.rootCertificate()),
                Pem.toPem(ca.issuingCertificate()), Pem.toPem(key));
    }

    private static X509Certificate selfSigned(KeyPair keys, BasicConstraints constraints, KeyUsage usage)
            throws Exception {
        X500Name name = new X500Name("CN=Odd Root");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7),
                Date.from(TestPki.NOW.minusSeconds(3600)), Date.from(TestPki.NOW.plusSeconds(86_400)), name,
                keys.getPublic());
        if (constraints != null) {
            builder.addExtension(Extension.basicConstraints, true, constraints);
        }
        builder.addExtension(Extension.keyUsage, true, usage);
        return Certs.toX509(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Bc.PROVIDER)
                .build(keys.getPrivate())));
    }
}
