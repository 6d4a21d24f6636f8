package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    @TempDir
    Path temp;

    @Test
    void fingerprintIsSha256OfDer() throws Exception {
        CertificateAuthority ca = TestPki.createCa(temp, TestPki.CLOCK, "Test");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(ca.rootCertificate().getEncoded()));

        Fingerprint fingerprint = Fingerprint.of(ca.rootCertificate());

        assertThat(fingerprint.toString()).isEqualTo(expected).hasSize(64);
        assertThat(fingerprint.matches(ca.rootCertificate())).isTrue();
        assertThat(fingerprint.matches(ca.issuingCertificate())).isFalse();
    }

    @Test
    void parseAcceptsCommonForms() {
        String hex = "ab".repeat(31) + "0f";
        String colons = "AB:".repeat(31) + "0F";

        assertThat(Fingerprint.parse(hex).toString()).isEqualTo(hex);
        assertThat(Fingerprint.parse(hex.toUpperCase(Locale.ROOT)).toString()).isEqualTo(hex);
        assertThat(Fingerprint.parse("sha256:" + hex).toString()).isEqualTo(hex);
        assertThat(Fingerprint.parse("SHA256:" + colons).toString()).isEqualTo(hex);
        assertThat(Fingerprint.parse(colons).toColonHex()).isEqualTo(colons);
    }

    @Test
    void parseRejectsMalformedText() {
        for (String text : new String[] {"", "ab", "ab".repeat(33), "zz".repeat(32), "sha1:" + "ab".repeat(32),
            "AB:".repeat(31) + "0", "ABC:".repeat(16), "ab".repeat(16) + ":" + "ab".repeat(16),
            "\u0661".repeat(64)}) {
            assertThatThrownBy(() -> Fingerprint.parse(text)).as(text)
                    .isInstanceOf(PkiException.class)
                    .hasMessageContaining("is malformed");
        }
    }
}
