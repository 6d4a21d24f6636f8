package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustVerifierTest {

    @TempDir
    Path temp;

    private CertificateAuthority ca;
    private final Set<BigInteger> revoked = new CopyOnWriteArraySet<>();
    private TrustVerifier verifier;

    @BeforeEach
    void createCa() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), TestPki.CLOCK, "Test");
        verifier = new TrustVerifier(ca.rootCertificate(), () -> revoked, TestPki.CLOCK);
    }

    @Test
    void acceptsChainWithAndWithoutRoot() {
        TestPki.Holder node = TestPki.node(ca, "n1");

        assertThat(verifier.verify(node.chain(), KeyPurpose.TLS_CLIENT)).isEqualTo(node.certificate());
        assertThat(verifier.verify(node.chain().subList(0, 2), KeyPurpose.TLS_CLIENT)).isEqualTo(node.certificate());
    }

    @Test
    void rejectsChainOfOtherCaWithSameName() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Test");
        TestPki.Holder stranger = TestPki.node(other, "n1");

        assertThatThrownBy(() -> verifier.verify(stranger.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not validate to the Weft CA 'CN=Test Root CA,O=Weft' (SHA-256 fingerprint "
                        + ca.rootFingerprint() + ")");
    }

    @Test
    void rejectsChainOfCaWithOtherName() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Other");
        TestPki.Holder stranger = TestPki.node(other, "n1");

        assertThatThrownBy(() -> verifier.verify(stranger.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is issued by 'CN=Other Root CA,O=Weft', which is not the Weft CA");
    }

    @Test
    void rejectsForeignLeafWithRememberedIssuingCa() throws Exception {
        verifier.verify(TestPki.node(ca, "n1").chain(), KeyPurpose.TLS_CLIENT);
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Test");
        TestPki.Holder stranger = TestPki.node(other, "n2");

        assertThatThrownBy(() -> verifier.verify(List.of(stranger.certificate(), ca.issuingCertificate()),
                KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not validate to the Weft CA");
    }

    @Test
    void acceptsSecondLeafOfRememberedIssuingCa() {
        verifier.verify(TestPki.node(ca, "n1").chain(), KeyPurpose.TLS_CLIENT);
        TestPki.Holder second = TestPki.node(ca, "n2");

        assertThat(verifier.verify(second.chain(), KeyPurpose.TLS_CLIENT)).isEqualTo(second.certificate());
    }

    @Test
    void rejectsRememberedIssuingCaOnceRevoked() {
        verifier.verify(TestPki.node(ca, "n1").chain(), KeyPurpose.TLS_CLIENT);

        revoked.add(ca.issuingCertificate().getSerialNumber());

        assertThatThrownBy(() -> verifier.verify(TestPki.node(ca, "n2").chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("Test Issuing CA")
                .hasMessageContaining("is revoked");
    }

    @Test
    void rejectsLeafWithoutIssuingCa() {
        TestPki.Holder node = TestPki.node(ca, "n1");

        assertThatThrownBy(() -> verifier.verify(List.of(node.certificate()), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("which is not the Weft CA");
    }

    @Test
    void rejectsExpiredCertificate() {
        TestPki.Holder node = TestPki.node(ca, "n1");
        Clock later = Clock.fixed(TestPki.NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC);

        assertThatThrownBy(() -> new TrustVerifier(ca.rootCertificate(), Set::of, later)
                .verify(node.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("'CN=n1.edge.example' (serial 0x")
                .hasMessageContaining("expired at " + TestPki.NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void rejectsCertificateNotYetValid() {
        TestPki.Holder node = TestPki.node(ca, "n1");
        Clock earlier = Clock.fixed(TestPki.NOW.minus(Duration.ofMinutes(10)), ZoneOffset.UTC);

        assertThatThrownBy(() -> new TrustVerifier(ca.rootCertificate(), Set::of, earlier)
                .verify(node.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not valid before");
    }

    @Test
    void rejectsRevokedCertificateOnceRevoked() {
        TestPki.Holder node = TestPki.node(ca, "n1");
        verifier.verify(node.chain(), KeyPurpose.TLS_CLIENT);

        revoked.add(node.certificate().getSerialNumber());

        assertThatThrownBy(() -> verifier.verify(node.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessage("Certificate serial 0x" + node.certificate().getSerialNumber().toString(16)
                        + " ('CN=n1.edge.example') is revoked.");
    }

    @Test
    void rejectsRevokedIssuingCa() {
        TestPki.Holder node = TestPki.node(ca, "n1");
        revoked.add(ca.issuingCertificate().getSerialNumber());

        assertThatThrownBy(() -> verifier.verify(node.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("Test Issuing CA")
                .hasMessageContaining("is revoked");
    }

    @Test
    void rejectsWrongPurpose() throws Exception {
        TestPki.Holder server = TestPki.server(ca);

        assertThatThrownBy(() -> verifier.verify(server.chain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("lacks the extended key usage TLS client authentication (1.3.6.1.5.5.7.3.2)");
    }

    @Test
    void rejectsCaCertificateAsEndEntity() {
        assertThatThrownBy(() -> verifier.verify(ca.caChain(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is a CA certificate");
        assertThatThrownBy(() -> verifier.verify(List.of(ca.rootCertificate()), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("contains only the Weft root CA certificate");
    }

    @Test
    void rejectsEmptyChain() {
        assertThatThrownBy(() -> verifier.verify(List.of(), KeyPurpose.TLS_CLIENT))
                .isInstanceOf(PkiException.class)
                .hasMessage("The peer presented no certificate.");
    }
}
