package io.weft.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.pki.internal.Bc;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificationRequestsTest {

    @Test
    void validateAcceptsNodeCsrInPem() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        String pem = CertificationRequests.create(keys, "node-1", TestPki.RANDOM);

        CertificationRequests.ValidatedRequest request = CertificationRequests.validate(
                pem.getBytes(StandardCharsets.US_ASCII), KeyType.NODE_KEYS);

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(request.keyType()).isEqualTo(KeyType.EC_P256);
        assertThat(request.publicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(request.subject()).isEqualTo("CN=node-1");
    }

    @Test
    void validateAcceptsEd25519CsrInDer() {
        KeyPair keys = KeyPairs.generate(KeyType.ED25519, TestPki.RANDOM);
        byte[] der = der(CertificationRequests.create(keys, "node-2", TestPki.RANDOM));

        CertificationRequests.ValidatedRequest request = CertificationRequests.validate(der, KeyType.NODE_KEYS);

        assertThat(request.keyType()).isEqualTo(KeyType.ED25519);
    }

    @Test
    void validateRejectsModifiedSignature() {
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        byte[] der = der(CertificationRequests.create(keys, "node-1", TestPki.RANDOM));
        // The signature BIT STRING ends the DER; its last byte is part of the ECDSA value s.
        der[der.length - 1] ^= 0x01;

        assertThatThrownBy(() -> CertificationRequests.validate(der, KeyType.NODE_KEYS))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signature is invalid");
    }

    @Test
    void validateRejectsRsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Bc.PROVIDER);
        generator.initialize(2048, TestPki.RANDOM);
        byte[] der = signedRequest(generator.generateKeyPair(), "SHA256withRSA");

        assertThatThrownBy(() -> CertificationRequests.validate(der, KeyType.NODE_KEYS))
                .isInstanceOf(PkiException.class)
                .hasMessage("The public key is RSA 2048-bit, but only EC P-256 or Ed25519 keys are accepted.");
    }

    @Test
    void validateRejectsP384WhenOnlyP256Accepted() {
        KeyPair keys = KeyPairs.generate(KeyType.EC_P384, TestPki.RANDOM);
        byte[] der = der(CertificationRequests.create(keys, "node-1", TestPki.RANDOM));

        assertThatThrownBy(() -> CertificationRequests.validate(der, java.util.Set.of(KeyType.EC_P256)))
                .isInstanceOf(PkiException.class)
                .hasMessage("The public key is EC P-384, but only EC P-256 keys are accepted.");
    }

    @Test
    void validateRejectsOtherCurve() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
        generator.initialize(new ECGenParameterSpec("secp256k1"), TestPki.RANDOM);
        byte[] der = signedRequest(generator.generateKeyPair(), "SHA256withECDSA");

        assertThatThrownBy(() -> CertificationRequests.validate(der, KeyType.NODE_KEYS))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("The public key is EC secp256k1");
    }

    @Test
    void validateRejectsGarbage() {
        assertThatThrownBy(() -> CertificationRequests.validate("hello".getBytes(StandardCharsets.US_ASCII),
                KeyType.NODE_KEYS)).isInstanceOf(PkiException.class).hasMessageContaining("neither PEM nor DER PKCS#10");
    }

    @Test
    void validateRejectsPemOfOtherType() throws Exception {
        String pem = Pem.toPem(KeyPairs.generateNodeKeyPair(TestPki.RANDOM).getPrivate());

        assertThatThrownBy(() -> CertificationRequests.validate(pem.getBytes(StandardCharsets.US_ASCII),
                KeyType.NODE_KEYS)).isInstanceOf(PkiException.class).hasMessageContaining("no CERTIFICATE REQUEST block");
    }

    @Test
    void validateRejectsOversizedInput() {
        assertThatThrownBy(() -> CertificationRequests.validate(new byte[CertificationRequests.MAX_BYTES + 1],
                KeyType.NODE_KEYS)).isInstanceOf(PkiException.class).hasMessageContaining("more than the maximum");
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static byte[] signedRequest(KeyPair keys, String algorithm) throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"),
                keys.getPublic()).build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER)
                        .build(keys.getPrivate()));
        return request.getEncoded();
    }
}
