package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedDocumentsTest {

    private static final byte[] STATE = "{\"generation\":7}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private CertificateAuthority ca;
    private final Set<BigInteger> revoked = new HashSet<>();
    private DocumentVerifier verifier;

    @BeforeEach
    void createCa() throws Exception {
        ca = TestPki.createCa(temp.resolve("ca"), TestPki.CLOCK, "Test");
        verifier = new DocumentVerifier(new TrustVerifier(ca.rootCertificate(), () -> revoked, TestPki.CLOCK),
                KeyPurpose.STATE_SIGNING);
    }

    @Test
    void signedDocumentVerifies() throws Exception {
        TestPki.Holder signer = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);

        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);
        DocumentVerifier.VerifiedDocument document = verifier.verify(envelope);

        assertThat(document.payload()).isEqualTo(STATE);
        assertThat(document.signer()).isEqualTo(signer.certificate());
        assertThat(JSON.readTree(envelope).get("algorithm").textValue()).isEqualTo("SHA256withECDSA");
        assertThat(JSON.readTree(envelope).get("format").textValue()).isEqualTo("weft-signed-v1");
    }

    @Test
    void ed25519SignerVerifies() {
        var keys = KeyPairs.generate(KeyType.ED25519, TestPki.RANDOM);
        var certificate = ca.issue(IssueRequest.signer(CertificateProfile.STATE_SIGNING, keys.getPublic(), "ed"));

        byte[] envelope = new DocumentSigner(keys.getPrivate(), ca.chainFor(certificate), TestPki.RANDOM).sign(STATE);

        assertThat(verifier.verify(envelope).payload()).isEqualTo(STATE);
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        TestPki.Holder signer = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);
        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);
        ObjectNode json = (ObjectNode) JSON.readTree(envelope);
        json.put("payload", Base64.getEncoder().encodeToString("{\"generation\":8}".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(json)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signature of the document does not match");
    }

    @Test
    void signerWithNodeProfileIsRejected() {
        TestPki.Holder node = TestPki.node(ca, "n1");
        byte[] envelope = new DocumentSigner(node.keys().getPrivate(), node.chain(), TestPki.RANDOM).sign(STATE);

        assertThatThrownBy(() -> verifier.verify(envelope))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signer of the document is not trusted")
                .hasMessageContaining("lacks the extended key usage Weft state signing");
    }

    @Test
    void signerOfOtherCaIsRejected() throws Exception {
        CertificateAuthority other = TestPki.createCa(temp.resolve("other"), TestPki.CLOCK, "Test");
        TestPki.Holder signer = TestPki.signer(other, CertificateProfile.STATE_SIGNING);
        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);

        assertThatThrownBy(() -> verifier.verify(envelope))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not validate to the Weft CA");
    }

    @Test
    void revokedSignerIsRejected() {
        TestPki.Holder signer = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);
        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);
        revoked.add(signer.certificate().getSerialNumber());

        assertThatThrownBy(() -> verifier.verify(envelope))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is revoked");
    }

    @Test
    void algorithmMismatchIsRejected() throws Exception {
        TestPki.Holder signer = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);
        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);
        ObjectNode json = (ObjectNode) JSON.readTree(envelope);
        json.put("algorithm", "SHA1withECDSA");

        assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(json)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("names the algorithm 'SHA1withECDSA'");
    }

    @Test
    void malformedEnvelopesAreRejected() throws Exception {
        TestPki.Holder signer = TestPki.signer(ca, CertificateProfile.STATE_SIGNING);
        byte[] envelope = new DocumentSigner(signer.keys().getPrivate(), signer.chain(), TestPki.RANDOM).sign(STATE);
        ObjectNode withoutChain = (ObjectNode) JSON.readTree(envelope);
        withoutChain.remove("chain");
        ObjectNode otherFormat = (ObjectNode) JSON.readTree(envelope);
        otherFormat.put("format", "weft-signed-v0");

        assertThatThrownBy(() -> verifier.verify("garbage".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PkiException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(withoutChain)))
                .isInstanceOf(PkiException.class).hasMessageContaining("chain is not an array");
        assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(otherFormat)))
                .isInstanceOf(PkiException.class).hasMessageContaining("format is 'weft-signed-v0'");
    }
}
