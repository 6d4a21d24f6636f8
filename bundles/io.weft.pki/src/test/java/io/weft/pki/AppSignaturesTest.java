package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSignaturesTest {

    private static final byte[] BUNDLE = "PK\u0003\u0004 not really a jar, but bytes to sign"
            .getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path temp;

    private CertificateAuthority ca;
    private final Set<BigInteger> revoked = new HashSet<>();
    private AppSignatureVerifier verifier;
    private TestPki.Holder signer;
    private Path bundle;

    @BeforeEach
    void createCa() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), TestPki.CLOCK, "Test");
        verifier = new AppSignatureVerifier(new TrustVerifier(ca.rootCertificate(), () -> revoked, TestPki.CLOCK));
        signer = TestPki.signer(ca, CertificateProfile.APP_SIGNING);
        bundle = Files.write(temp.resolve("app.jar"), BUNDLE);
    }

    @Test
    void signedBundleVerifies() {
        byte[] signature = sign(signer, BUNDLE);

        AppSignatureVerifier.VerifiedApp verified = verifier.verify(bundle, signature, sha256(bundle));

        assertThat(verified.signer()).isEqualTo(signer.certificate());
        assertThat(verified.sha256()).isEqualTo(sha256(bundle));
    }

    @Test
    void unsignedBundleIsRejected() {
        assertThatThrownBy(() -> verifier.verify(bundle, new byte[0], sha256(bundle)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is unsigned");
    }

    @Test
    void garbageSignatureIsRejected() {
        assertThatThrownBy(() -> verifier.verify(bundle, new byte[] {1, 2, 3}, sha256(bundle)))
                .hasMessageContaining("not a DER-encoded CMS SignedData");
    }

    @Test
    void changedByteIsRejected() throws Exception {
        byte[] signature = sign(signer, BUNDLE);
        byte[] changed = BUNDLE.clone();
        changed[10] ^= 1;
        Files.write(bundle, changed);

        assertThatThrownBy(() -> verifier.verify(bundle, signature, sha256(bundle)))
                .hasMessageContaining("does not match the bundle bytes");
    }

    @Test
    void signerOfOtherCaIsRejected() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Other");
        byte[] signature = sign(TestPki.signer(other, CertificateProfile.APP_SIGNING), BUNDLE);

        assertThatThrownBy(() -> verifier.verify(bundle, signature, sha256(bundle)))
                .hasMessageContaining("The signer of the app is not trusted")
                .hasMessageContaining("which is not the Weft CA");
    }

    @Test
    void revokedSignerIsRejected() {
        byte[] signature = sign(signer, BUNDLE);
        revoked.add(signer.certificate().getSerialNumber());

        assertThatThrownBy(() -> verifier.verify(bundle, signature, sha256(bundle)))
                .hasMessageContaining("The signer of the app is not trusted")
                .hasMessageContaining("is revoked");
    }

    @Test
    void signerWithoutAppPurposeIsRejected() {
        TestPki.Holder stateSigner = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);
        byte[] signature = sign(stateSigner, BUNDLE);

        assertThatThrownBy(() -> verifier.verify(bundle, signature, sha256(bundle)))
                .hasMessageContaining("lacks the extended key usage Weft app signing");
    }

    @Test
    void nodeCertificateCannotSignApps() {
        TestPki.Holder node = TestPki.node(ca, "edge1");
        byte[] signature = sign(node, BUNDLE);

        assertThatThrownBy(() -> verifier.verify(bundle, signature, sha256(bundle)))
                .hasMessageContaining("lacks the extended key usage Weft app signing");
    }

    @Test
    void digestMismatchIsRejected() {
        byte[] signature = sign(signer, BUNDLE);
        String other = "0".repeat(64);

        assertThatThrownBy(() -> verifier.verify(bundle, signature, other))
                .hasMessageContaining("but the deployment names " + other);
    }

    private static byte[] sign(TestPki.Holder holder, byte[] content) {
        return new AppSigner(holder.keys().getPrivate(), holder.chain(), TestPki.RANDOM).sign(content);
    }

    private static String sha256(Path file) {
        return AppSignatureVerifier.sha256(file);
    }
}
