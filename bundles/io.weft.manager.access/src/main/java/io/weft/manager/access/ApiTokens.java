package io.weft.manager.access;

import io.weft.manager.access.TokenRejectedException.Reason;
import io.weft.manager.access.internal.TokenFormat;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Issues and checks API tokens.
 *
 * <p>A token reads {@code weft_<id>_<secret>}: the prefix lets secret scanners and operators
 * recognize it, the id (16 hexadecimal digits, 64 random bits) is the store's lookup key, and
 * the secret is 32 bytes from {@link SecureRandom} as 43 Base64url characters. The store keeps
 * an {@link ApiToken} with the SHA-256 of the whole token text instead of the token.
 *
 * <p>SHA-256 without salt is enough here, unlike for passwords. The secret has 256 random bits,
 * so there is no dictionary to try and no table to precompute, and finding a token from its
 * digest takes about 2^255 hash computations however fast each one is. A slow function such
 * as Argon2 would add its cost to every API request and no security.
 *
 * <p>Instances are thread-safe.
 */
public final class ApiTokens {

    /** Maximum lifetime of a token from its issue. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private final SecureRandom random;
    private final Clock clock;

    public ApiTokens(SecureRandom random, Clock clock) {
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a token for {@code owner} that is valid until {@code expiresAt}. Both times are
     * truncated to whole seconds, so that every database stores them exactly.
     *
     * @throws InvalidAccessInputException with field {@code expiresAt} when the expiry is missing,
     *                                     not in the future, or more than {@link #MAX_LIFETIME} away
     */
    public IssuedToken issue(String owner, Instant expiresAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiry = checkExpiry(now, expiresAt);

        byte[] idBytes = new byte[TokenFormat.ID_BYTES];
        byte[] secret = new byte[TokenFormat.SECRET_BYTES];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        String id = TokenFormat.hex(idBytes);
        String text = TokenFormat.PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);

        String digest = TokenFormat.hex(TokenFormat.digest(text));
        return new IssuedToken(new ApiToken(id, owner, digest, now, expiry, false), text);
    }

    /**
     * Returns the id of a presented token, for the store's lookup.
     *
     * @throws TokenRejectedException with reason {@link Reason#MALFORMED} when the text is not of
     *                                the form {@code weft_<16 hexadecimal digits>_<43 Base64url characters>}
     */
    public static String idOf(String presented) {
        String id = TokenFormat.idOf(presented);
        if (id == null) {
            String length = presented == null ? "nothing" : presented.length() + " characters";
            throw new TokenRejectedException(Reason.MALFORMED, null, "Malformed API token: expected "
                    + TokenFormat.describe() + ", but got " + length + ".");
        }
        return id;
    }

    /**
     * Authenticates a presented token: parses its id, looks the token up, and checks the secret,
     * the revocation and the expiry, in that order. The revocation and expiry of a token are
     * reported only to a caller who knows its secret.
     *
     * @param lookup returns the stored token with the given id, or empty when there is none
     * @return the stored token, whose owner the request then acts for
     * @throws TokenRejectedException with the first reason that applies
     */
    public ApiToken authenticate(String presented, Function<String, Optional<ApiToken>> lookup) {
        String id = idOf(presented);
        ApiToken stored = lookup.apply(id).orElseThrow(() -> new TokenRejectedException(Reason.UNKNOWN, id,
                "Unknown API token " + id + ": no token has this id. Create a new token."));
        verify(presented, stored);
        return stored;
    }

    /**
     * Checks a presented token against the stored token with its id.
     *
     * @throws TokenRejectedException   with the first reason that applies
     * @throws IllegalArgumentException when {@code stored} has another id than the presented token
     */
    public void verify(String presented, ApiToken stored) {
        String id = idOf(presented);
        if (!id.equals(stored.id())) {
            throw new IllegalArgumentException("The stored token " + stored.id() + " is not the presented token " + id);
        }

        byte[] expected = TokenFormat.parseHex(stored.secretSha256());
        if (!MessageDigest.isEqual(TokenFormat.digest(presented), expected)) {
            throw new TokenRejectedException(Reason.INVALID_SECRET, id, "Invalid API token " + id
                    + ": the secret does not match. Check that the whole token was copied.");
        }
        if (stored.revoked()) {
            throw new TokenRejectedException(Reason.REVOKED, id, "API token " + id + " was revoked. Create a new token.");
        }
        if (stored.isExpiredAt(clock.instant())) {
            throw new TokenRejectedException(Reason.EXPIRED, id, "API token " + id + " expired at "
                    + stored.expiresAt() + ". Create a new token.");
        }
    }

    private static Instant checkExpiry(Instant now, Instant expiresAt) {
        if (expiresAt == null) {
            throw new InvalidAccessInputException("expiresAt", "Missing expiry time. Every API token expires, at"
                    + " most " + MAX_LIFETIME.toDays() + " days after its creation.");
        }
        Instant expiry = expiresAt.truncatedTo(ChronoUnit.SECONDS);
        if (!expiry.isAfter(now)) {
            throw new InvalidAccessInputException("expiresAt", "The expiry time " + expiresAt + " is not in the"
                    + " future. Choose a time after " + now + ".");
        }
        if (expiry.isAfter(now.plus(MAX_LIFETIME))) {
            throw new InvalidAccessInputException("expiresAt", "The expiry time " + expiresAt + " is more than "
                    + MAX_LIFETIME.toDays() + " days away. Choose a time until " + now.plus(MAX_LIFETIME) + ".");
        }
        return expiry;
    }
}
