package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.policy.AppOperation;

class ApiTokenVerifierTest {

    @TempDir
    static Path folder;

    private static EdgePki pki;
    private static EdgePki otherPki;

    @BeforeAll
    static void createCas() throws IOException {
        pki = new EdgePki(folder.resolve("ca"));
        otherPki = new EdgePki(folder.resolve("other-ca"));
    }

    @Test
    void acceptsManagerToken() {
        ApiToken token = verifier().verify(pki.token("ci", List.of("hello/greet", "feed/*")));

        assertThat(token.client()).isEqualTo("ci");
        assertThat(token.permits(new AppOperation("hello", "greet"))).isTrue();
        assertThat(token.permits(new AppOperation("feed", "readings"))).isTrue();
        assertThat(token.permits(new AppOperation("hello", "info"))).isFalse();
    }

    @Test
    void rejectsExpiredToken() {
        String token = pki.token(ApiTokenVerifier.TYPE, "ci", List.of("hello/*"), Instant.now().minusSeconds(1));

        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("expired");
    }

    @Test
    void rejectsTokenOfOtherCa() {
        String token = otherPki.token("ci", List.of("hello/*"));

        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("not signed by this fleet's manager")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(401);
    }

    @Test
    void rejectsRevokedSigner() {
        String token = pki.token("ci", List.of("hello/*"));
        pki.revoked.add(pki.signerCertificate.getSerialNumber());

        try {
            assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                    .hasMessageContaining("revoked");
        } finally {
            pki.revoked.clear();
        }
    }

    @Test
    void rejectsModifiedClaims() {
        String token = pki.token("ci", List.of("hello/greet"));
        byte[] envelope = Base64.getUrlDecoder().decode(token.substring(ApiTokenVerifier.PREFIX.length()));
        String widened = new String(envelope).replace(
                Base64.getEncoder().encodeToString(claimsOf(envelope).getBytes()),
                Base64.getEncoder().encodeToString(claimsOf(envelope).replace("hello/greet", "hello/*").getBytes()));
        String forged = ApiTokenVerifier.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes());

        assertThat(widened).isNotEqualTo(new String(envelope));
        assertThatThrownBy(() -> verifier().verify(forged)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void rejectsSignedDocumentOfOtherType() {
        String state = pki.token("weft-desired-state", "ci", List.of("hello/*"), Instant.now().plusSeconds(60));

        assertThatThrownBy(() -> verifier().verify(state)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("not an API client token");
    }

    @Test
    void rejectsTextWithoutPrefix() {
        assertThatThrownBy(() -> verifier().verify("weft_abc_def")).isInstanceOf(EdgeError.class)
                .hasMessageContaining("must start with 'weft-api.'");
    }

    @Test
    void rejectsInvalidBase64() {
        assertThatThrownBy(() -> verifier().verify(ApiTokenVerifier.PREFIX + "!!!")).isInstanceOf(EdgeError.class)
                .hasMessageContaining("Base64url");
    }

    private static ApiTokenVerifier verifier() {
        return new ApiTokenVerifier(pki.trust(), Clock.systemUTC());
    }

    private static String claimsOf(byte[] envelope) {
        try {
            String payload = Json.MAPPER.readTree(envelope).path("payload").asText();
            return new String(Base64.getDecoder().decode(payload));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
