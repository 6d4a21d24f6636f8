package io.weft.manager.access;

import io.weft.manager.access.internal.TokenFormat;
import java.time.Instant;
import java.util.Objects;

/**
 * API token as the store keeps it: everything but the secret, which is stored nowhere, so
 * only the digest identifies it.
 *
 * @param id           16 lower-case hexadecimal digits, unique among tokens; the lookup key
 * @param owner        user name of the operator on whose behalf the token acts
 * @param secretSha256 SHA-256 of the whole token text, as 64 lower-case hexadecimal digits
 * @param createdAt    time of issue, in whole seconds
 * @param expiresAt    time from which the token is rejected, in whole seconds
 * @param revoked      true once an operator revoked the token; a revoked token never becomes valid again
 */
public record ApiToken(String id, String owner, String secretSha256, Instant createdAt, Instant expiresAt,
        boolean revoked) {

    /**
     * @throws IllegalArgumentException when the id or digest is not lower-case hexadecimal of
     *                                  the right length, or the owner is not a normalized user name
     */
    public ApiToken {
        TokenFormat.requireId(id);
        Principal.requireNormalizedName(owner);
        TokenFormat.requireDigest(secretSha256);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Returns a copy of this token marked revoked. */
    public ApiToken revoke() {
        return new ApiToken(id, owner, secretSha256, createdAt, expiresAt, true);
    }

    /** Returns true when the token is expired at {@code now}, which includes the instant {@code expiresAt}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Describes the token without its digest, so that logging a token never leaks it. */
    @Override
    public String toString() {
        return "ApiToken[id=" + id + ", owner=" + owner + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + ", revoked=" + revoked + "]";
    }
}
