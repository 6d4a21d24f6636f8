package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

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
    void tokenHasKeyIdNotCertificate() {
        String token = pki.token("ci", List.of("hello/greet"));
        String[] parts = token.substring(ApiTokenVerifier.PREFIX.length()).split("\\.");

        assertThat(parts[2]).hasSize(ApiTokenVerifier.KEY_ID_LENGTH);
        assertThat(token.length()).isLessThan(pki.tokenWithCertificate("ci", List.of("hello/greet"),
                Instant.now().plusSeconds(600)).length() / 2);
    }

    @Test
    void acceptsTokenWithCertificate() {
        String token = pki.tokenWithCertificate("ci", List.of("hello/greet"), Instant.now().plusSeconds(600));

        ApiToken verified = verifier().verify(token);

        assertThat(verified.client()).isEqualTo("ci");
        assertThat(verified.permits(new AppOperation("hello", "greet"))).isTrue();
    }

    @Test
    void acceptsTokenWithCertificateBeforeState() {
        String token = pki.tokenWithCertificate("ci", List.of("hello/greet"), Instant.now().plusSeconds(600));

        assertThat(verifierWithoutState().verify(token).client()).isEqualTo("ci");
    }

    @Test
    void rejectsExpiredTokenWithCertificate() {
        String token = pki.tokenWithCertificate("ci", List.of("hello/*"), Instant.now().minusSeconds(1));

        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("expired");
    }

    @Test
    void rejectsTokenWithCertificateOfOtherCa() {
        String token = otherPki.tokenWithCertificate("ci", List.of("hello/*"), Instant.now().plusSeconds(600));

        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("not signed by this fleet's manager")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(401);
    }

    @Test
    void rejectsUnknownKeyId() {
        String token = otherPki.token("ci", List.of("hello/*"));

        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("which is not the signer")
                .hasMessageContaining("retry after the node's state updates")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(401);
    }

    @Test
    void rejectsKeyIdBeforeState() {
        String token = pki.token("ci", List.of("hello/*"));

        assertThatThrownBy(() -> verifierWithoutState().verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("has not applied a desired state yet")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(401);
    }

    @Test
    void rejectsStateSignerOfOtherCa() {
        String token = otherPki.token("ci", List.of("hello/*"));
        ApiTokenVerifier verifier = new ApiTokenVerifier(pki.trust(), pki.issuers(),
                Optional.of(otherPki.signerCertificate), Clock.systemUTC());

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("not signed by this fleet's manager");
    }

    @Test
    void rejectsRevokedSignerWithCertificate() {
        String token = pki.tokenWithCertificate("ci", List.of("hello/*"), Instant.now().plusSeconds(600));
        pki.revoked.add(pki.signerCertificate.getSerialNumber());

        try {
            assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(EdgeError.class)
                    .hasMessageContaining("revoked");
        } finally {
            pki.revoked.clear();
        }
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
        String[] parts = token.substring(ApiTokenVerifier.PREFIX.length()).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String widened = claims.replace("hello/greet", "hello/*");
        String forged = ApiTokenVerifier.PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];

        assertThat(widened).isNotEqualTo(claims);
        assertThatThrownBy(() -> verifier().verify(forged)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void rejectsTokenWithTwoParts() {
        String token = pki.token("ci", List.of("hello/*"));
        String truncated = token.substring(0, token.lastIndexOf('.'));

        assertThatThrownBy(() -> verifier().verify(truncated)).isInstanceOf(EdgeError.class)
                .hasMessageContaining("three Base64url parts");
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
                .hasMessageContaining("not a Weft API token");
    }

    @Test
    void rejectsInvalidBase64() {
        assertThatThrownBy(() -> verifier().verify(ApiTokenVerifier.PREFIX + "!!!.a.b")).isInstanceOf(EdgeError.class)
                .hasMessageContaining("not valid Base64url");
    }

    private static ApiTokenVerifier verifier() {
        return new ApiTokenVerifier(pki.trust(), pki.issuers(), Optional.of(pki.signerCertificate),
                Clock.systemUTC());
    }

    private static ApiTokenVerifier verifierWithoutState() {
        return new ApiTokenVerifier(pki.trust(), pki.issuers(), Optional.empty(), Clock.systemUTC());
    }
}
