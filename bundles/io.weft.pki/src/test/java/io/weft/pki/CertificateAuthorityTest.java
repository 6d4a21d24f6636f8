package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.internal.Bc;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    @TempDir
    Path temp;

    private CertificateAuthority ca;

    @BeforeEach
    void createCa() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), TestPki.CLOCK, "Test");
    }

    @Test
    void nodeCertificateHasNamesFromManagerNotCsr() throws Exception {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        String csr = CertificationRequests.create(keys, "attacker.example", TestPki.RANDOM);
        var request = CertificationRequests.validate(csr.getBytes(StandardCharsets.US_ASCII), KeyType.NODE_KEYS);

        X509Certificate certificate = ca.issue(IssueRequest.node(request.publicKey(), "n1", "edge.example", "42"));

        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=n1.edge.example");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(ca.issuingCertificate().getSubjectX500Principal());
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        assertThat(names).containsExactlyInAnyOrder(List.of(2, "n1.edge.example"), List.of(6, "urn:weft:node:42"));
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void nodeCertificateHasRandomSerialLifetimeAndUsages() throws Exception {
        X509Certificate certificate = TestPki.node(ca, "n1").certificate();

        assertThat(certificate.getSerialNumber().signum()).isPositive();
        assertThat(certificate.getSerialNumber().bitLength()).isBetween(64, 159);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(TestPki.NOW.minus(CertificateAuthority.CLOCK_SKEW));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(30)));
        assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder(KeyPurpose.TLS_CLIENT.oid(),
                KeyPurpose.TLS_SERVER.oid());
        assertThat(certificate.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(
                Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    }

    @Test
    void serialsDiffer() {
        assertThat(TestPki.node(ca, "n1").certificate().getSerialNumber())
                .isNotEqualTo(TestPki.node(ca, "n1").certificate().getSerialNumber());
    }

    @Test
    void nodeCertificateChainValidates() {
        TestPki.Holder node = TestPki.node(ca, "n1");

        X509Certificate leaf = TrustVerifier.withoutRevocation(ca.rootCertificate(), TestPki.CLOCK)
                .verify(node.chain(), KeyPurpose.TLS_SERVER);

        assertThat(leaf).isEqualTo(node.certificate());
    }

    @Test
    void issueUsesRequestedLifetime() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);

        X509Certificate certificate = ca.issue(IssueRequest.node(keys.getPublic(), "n1", "edge.example", "1")
                .withLifetime(Duration.ofDays(7)));

        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void issueRejectsLifetimeBeyondIssuingCa() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        IssueRequest request = IssueRequest.node(keys.getPublic(), "n1", "edge.example", "1")
                .withLifetime(Duration.ofDays(3000));

        assertThatThrownBy(() -> ca.issue(request)).isInstanceOf(PkiException.class)
                .hasMessageContaining("before the requested notAfter");
    }

    @Test
    void issueRejectsRsaNodeKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Bc.PROVIDER);
        generator.initialize(2048, TestPki.RANDOM);
        IssueRequest request = IssueRequest.node(generator.generateKeyPair().getPublic(), "n1", "edge.example", "1");

        assertThatThrownBy(() -> ca.issue(request)).isInstanceOf(PkiException.class)
                .hasMessageContaining("RSA 2048-bit");
    }

    @Test
    void serverCertificateHasDnsAndIpNames() throws Exception {
        X509Certificate certificate = TestPki.server(ca).certificate();

        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(KeyPurpose.TLS_SERVER.oid());
    }

    @Test
    void stateSigningCertificateHasOnlyWeftUsage() throws Exception {
        X509Certificate certificate = TestPki.signer(ca, CertificateProfile.STATE_SIGNING).certificate();

        assertThat(certificate.getExtendedKeyUsage()).containsExactly(KeyPurpose.STATE_SIGNING.oid());
        assertThat(certificate.getSubjectAlternativeNames()).isNull();
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
    }

    @Test
    void nodeRequestRejectsInvalidNames() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);

        assertThatThrownBy(() -> IssueRequest.node(keys.getPublic(), "bad_name", "edge.example", "1"))
                .isInstanceOf(PkiException.class).hasMessageContaining("DNS name 'bad_name.edge.example' is invalid");
        assertThatThrownBy(() -> IssueRequest.node(keys.getPublic(), "n1", "edge.example", "a b"))
                .isInstanceOf(PkiException.class).hasMessageContaining("node id 'a b' is invalid");
    }

    @Test
    void serverRequestNeedsAName() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);

        assertThatThrownBy(() -> IssueRequest.server(keys.getPublic(), "manager", List.of(), List.<InetAddress>of()))
                .isInstanceOf(PkiException.class).hasMessageContaining("at least one DNS name or IP address");
    }
}
