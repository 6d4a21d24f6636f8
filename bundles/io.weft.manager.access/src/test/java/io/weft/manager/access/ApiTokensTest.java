package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.manager.access.TokenRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiTokensTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant IN_30_DAYS = Instant.parse("2026-03-31T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final ApiTokens tokens = new ApiTokens(new SecureRandom(), clock);
    private final Map<String, ApiToken> store = new HashMap<>();

    @Test
    void issueFormatsToken() {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        assertThat(issued.text()).hasSize(65).matches("weft_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(issued.text()).startsWith("weft_" + issued.token().id() + "_");
        assertThat(issued.token().owner()).isEqualTo("alice");
        assertThat(issued.token().createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(issued.token().expiresAt()).isEqualTo(IN_30_DAYS);
        assertThat(issued.token().revoked()).isFalse();
    }

    @Test
    void storedTokenTextOmitsDigest() {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        assertThat(issued.token().toString())
                .contains(issued.token().id())
                .doesNotContain(issued.token().secretSha256());
    }

    @Test
    void issueStoresSha256OfText() throws Exception {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(issued.text().getBytes(StandardCharsets.US_ASCII));
        assertThat(issued.token().secretSha256()).isEqualTo(HexFormat.of().formatHex(digest));
    }

    @Test
    void issueDrawsNewIdAndSecret() {
        IssuedToken first = tokens.issue("alice", IN_30_DAYS);
        IssuedToken second = tokens.issue("alice", IN_30_DAYS);

        assertThat(first.token().id()).isNotEqualTo(second.token().id());
        assertThat(secretOf(first.text())).isNotEqualTo(secretOf(second.text()));
    }

    @Test
    void issuedToStringOmitsSecret() {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        assertThat(issued.toString())
                .contains(issued.token().id())
                .doesNotContain(secretOf(issued.text()))
                .doesNotContain(issued.token().secretSha256());
    }

    @Test
    void authenticateAcceptsIssuedToken() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);

        ApiToken authenticated = tokens.authenticate(issued.text(), this::lookup);

        assertThat(authenticated).isEqualTo(issued.token());
    }

    @Test
    void authenticateRejectsWrongSecret() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);
        String wrong = issued.text().substring(0, 64) + (issued.text().endsWith("A") ? "B" : "A");

        TokenRejectedException rejected = rejection(wrong);

        assertThat(rejected.reason()).isEqualTo(Reason.INVALID_SECRET);
        assertThat(rejected.tokenId()).contains(issued.token().id());
        assertThat(rejected).hasMessage("Invalid API token " + issued.token().id()
                + ": the secret does not match. Check that the whole token was copied.");
    }

    @Test
    void authenticateRejectsUnknownId() {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        TokenRejectedException rejected = rejection(issued.text());

        assertThat(rejected.reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(rejected).hasMessage("Unknown API token " + issued.token().id()
                + ": no token has this id. Create a new token.");
    }

    @Test
    void authenticateRejectsRevoked() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);
        store.put(issued.token().id(), issued.token().revoke());

        TokenRejectedException rejected = rejection(issued.text());

        assertThat(rejected.reason()).isEqualTo(Reason.REVOKED);
        assertThat(rejected).hasMessage("API token " + issued.token().id() + " was revoked. Create a new token.");
    }

    @Test
    void authenticateRejectsAtExpiry() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);
        clock.set(IN_30_DAYS.minusNanos(1));
        tokens.authenticate(issued.text(), this::lookup);

        clock.set(IN_30_DAYS);
        TokenRejectedException rejected = rejection(issued.text());

        assertThat(rejected.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(rejected).hasMessage("API token " + issued.token().id()
                + " expired at 2026-03-31T10:00:00Z. Create a new token.");
    }

    @Test
    void authenticateChecksSecretBeforeRevocation() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);
        store.put(issued.token().id(), issued.token().revoke());
        clock.advance(Duration.ofDays(60));
        String wrong = issued.text().substring(0, 64) + (issued.text().endsWith("A") ? "B" : "A");

        assertThat(rejection(wrong).reason()).isEqualTo(Reason.INVALID_SECRET);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft-0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft_0123456789abcdeg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft_0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAA+AAAAAAAAAAAAAAAAAAAAA",
        "Bearer weft_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    })
    void authenticateRejectsMalformed(String presented) {
        TokenRejectedException rejected = rejection(presented);

        assertThat(rejected.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejected.tokenId()).isEmpty();
        assertThat(rejected).hasMessageStartingWith("Malformed API token: expected 'weft_', 16 hexadecimal digits,"
                + " '_' and 43 Base64url characters, 65 characters in all, but got ");
    }

    @Test
    void malformedMessageOmitsInput() {
        String presented = "weft_0123456789abcdef_SECRETSECRETSECRETSECRETSECRETSECRETSECRET";

        assertThat(presented).hasSize(64);
        assertThat(rejection(presented)).hasMessageEndingWith("but got 64 characters.").hasMessageNotContaining("SECRET");
    }

    @Test
    void rejectionMessagesOmitSecret() {
        IssuedToken issued = issueAndStore(IN_30_DAYS);
        store.put(issued.token().id(), issued.token().revoke());

        assertThat(rejection(issued.text())).hasMessageNotContaining(secretOf(issued.text()));
    }

    @Test
    void issueRejectsMissingExpiry() {
        assertThatThrownBy(() -> tokens.issue("alice", null))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessage("Missing expiry time. Every API token expires, at most 365 days after its creation.");
    }

    @Test
    void issueRejectsPastExpiry() {
        assertThatThrownBy(() -> tokens.issue("alice", Instant.parse("2026-03-01T10:00:00.9Z")))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessage("The expiry time 2026-03-01T10:00:00.900Z is not in the future. Choose a time after"
                        + " 2026-03-01T10:00:00Z.");
    }

    @Test
    void issueAcceptsMaximumLifetime() {
        IssuedToken issued = tokens.issue("alice", Instant.parse("2027-03-01T10:00:00.999Z"));

        assertThat(issued.token().expiresAt()).isEqualTo(Instant.parse("2027-03-01T10:00:00Z"));
    }

    @Test
    void issueRejectsOverMaximumLifetime() {
        assertThatThrownBy(() -> tokens.issue("alice", Instant.parse("2027-03-01T10:00:01Z")))
                .isInstanceOf(InvalidAccessInputException.class)
                .hasMessage("The expiry time 2027-03-01T10:00:01Z is more than 365 days away. Choose a time until"
                        + " 2027-03-01T10:00:00Z.")
                .extracting(e -> ((InvalidAccessInputException) e).field()).isEqualTo("expiresAt");
    }

    @Test
    void issueRejectsInvalidOwner() {
        assertThatThrownBy(() -> tokens.issue("Alice", IN_30_DAYS))
                .isInstanceOf(InvalidAccessInputException.class);
    }

    @Test
    void idOfReturnsLookupKey() {
        IssuedToken issued = tokens.issue("alice", IN_30_DAYS);

        assertThat(ApiTokens.idOf(issued.text())).isEqualTo(issued.token().id());
    }

    @Test
    void verifyRejectsOtherStoredToken() {
        IssuedToken first = tokens.issue("alice", IN_30_DAYS);
        IssuedToken second = tokens.issue("alice", IN_30_DAYS);

        assertThatThrownBy(() -> tokens.verify(first.text(), second.token()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The stored token " + second.token().id() + " is not the presented token " + first.token().id());
    }

    @Test
    void storedTokenRejectsInvalidDigest() {
        assertThatThrownBy(() -> new ApiToken("0123456789abcdef", "alice", "ABC", START, IN_30_DAYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid token digest: expected 64 lower-case hexadecimal digits of SHA-256.");
        assertThatThrownBy(() -> new ApiToken("0123", "alice", "0".repeat(64), START, IN_30_DAYS, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid token id '0123': expected 16 lower-case hexadecimal digits.");
    }

    private IssuedToken issueAndStore(Instant expiresAt) {
        IssuedToken issued = tokens.issue("alice", expiresAt);
        store.put(issued.token().id(), issued.token());
        return issued;
    }

    private Optional<ApiToken> lookup(String id) {
        return Optional.ofNullable(store.get(id));
    }

    private TokenRejectedException rejection(String presented) {
        return catchThrowableOfType(TokenRejectedException.class, () -> tokens.authenticate(presented, this::lookup));
    }

    private static String secretOf(String text) {
        return text.substring(22);
    }
}
