package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.weft.manager.access.ApiToken;

/**
 * API token as the store keeps it: the token record of the access bundle, which
 * {@code ApiTokens.authenticate} checks, and when it was last used.
 *
 * @param token      the token without its secret
 * @param lastUsedAt the latest time recorded by {@link AccessStore#recordTokenUse}, empty
 *                   when the token was never used
 */
public record StoredApiToken(ApiToken token, Optional<Instant> lastUsedAt) {

    public StoredApiToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
