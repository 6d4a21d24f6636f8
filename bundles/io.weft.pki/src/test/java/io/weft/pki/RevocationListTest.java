package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationListTest {

    @TempDir
    Path temp;

    private CertificateAuthority ca;
    private final List<RevokedCertificate> revoked = List.of(
            new RevokedCertificate(new BigInteger("123456789abcdef", 16), Instant.parse("2027-02-01T10:00:00Z"),
                    RevocationReason.KEY_COMPROMISE),
            new RevokedCertificate(BigInteger.valueOf(99), Instant.parse("2027-02-02T10:00:00Z"),
                    RevocationReason.UNSPECIFIED));

    @BeforeEach
    void createCa() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), TestPki.CLOCK, "Test");
    }

    @Test
    void crlRoundTripsThroughPem() {
        String pem = Pem.toPem(ca.createCrl(revoked, BigInteger.valueOf(5), Duration.ofDays(7)));

        RevocationList list = RevocationList.parse(pem.getBytes(StandardCharsets.US_ASCII), ca.issuingCertificate());

        assertThat(pem).startsWith("-----BEGIN X509 CRL-----");
        assertThat(list.entries()).isEqualTo(revoked);
        assertThat(list.serials()).containsExactly(new BigInteger("123456789abcdef", 16), BigInteger.valueOf(99));
        assertThat(list.crlNumber()).isEqualTo(5);
        assertThat(list.thisUpdate()).isEqualTo(TestPki.NOW);
        assertThat(list.nextUpdate()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(7)));
        assertThat(list.isCurrentAt(TestPki.NOW.plus(Duration.ofDays(8)))).isFalse();
        assertThat(list.crl().getVersion()).isEqualTo(2);
    }

    @Test
    void crlParsesFromDer() throws Exception {
        byte[] der = ca.createCrl(revoked, BigInteger.ONE, Duration.ofDays(1)).getEncoded();

        RevocationList list = RevocationList.parse(der, ca.issuingCertificate());

        assertThat(list.entries()).hasSize(2);
        assertThat(list.crl().getRevokedCertificate(BigInteger.valueOf(99))).isNotNull();
    }

    @Test
    void emptyCrlIsValid() {
        byte[] pem = Pem.toPem(ca.createCrl(List.of(), BigInteger.ZERO, Duration.ofDays(1)))
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(RevocationList.parse(pem, ca.issuingCertificate()).entries()).isEmpty();
    }

    @Test
    void crlOfOtherCaIsRejected() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Test");
        byte[] der = other.createCrl(revoked, BigInteger.ONE, Duration.ofDays(1)).getEncoded();

        assertThatThrownBy(() -> RevocationList.parse(der, ca.issuingCertificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("CRL signature is invalid");
    }

    @Test
    void crlOfOtherIssuerNameIsRejected() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Other");
        byte[] der = other.createCrl(revoked, BigInteger.ONE, Duration.ofDays(1)).getEncoded();

        assertThatThrownBy(() -> RevocationList.parse(der, ca.issuingCertificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is issued by 'CN=Other Issuing CA,O=Weft'");
    }

    @Test
    void modifiedCrlIsRejected() throws Exception {
        byte[] der = ca.createCrl(revoked, BigInteger.ONE, Duration.ofDays(1)).getEncoded();
        byte[] serial = new BigInteger("123456789abcdef", 16).toByteArray();
        int at = indexOf(der, serial);
        der[at + serial.length - 1] ^= 0x01;

        assertThatThrownBy(() -> RevocationList.parse(der, ca.issuingCertificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("CRL signature is invalid");
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> RevocationList.parse(new byte[] {1, 2, 3}, ca.issuingCertificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("neither a PEM nor a DER X.509 CRL");
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (java.util.Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("Serial not found in the CRL");
    }
}
