package io.weft.manager.api.internal.access;

import java.time.Instant;

import io.weft.manager.access.ApiToken;
import io.weft.manager.store.StoredApiToken;

/**
 * An API token as the API lists it and the audit log records it, without its secret or
 * digest. Times are ISO-8601 instants in UTC.
 *
 * @param id         16 hexadecimal digits, the public part of the token
 * @param owner      the operator on whose behalf the token acts
 * @param createdAt  time of issue
 * @param expiresAt  time from which the token is rejected
 * @param revoked    true once the token was revoked
 * @param lastUsedAt the last authenticated request with the token, or null
 */
public record TokenDto(String id, String owner, String createdAt, String expiresAt, boolean revoked,
        String lastUsedAt) {

    public static TokenDto of(StoredApiToken stored) {
        ApiToken token = stored.token();
        return new TokenDto(token.id(), token.owner(), token.createdAt().toString(), token.expiresAt().toString(),
                token.revoked(), stored.lastUsedAt().map(Instant::toString).orElse(null));
    }
}
