package io.weft.manager.access;

import java.util.Objects;

/**
 * New API token: the record to store, and the token text that the operator sees once. The
 * text is not stored anywhere, so a lost token cannot be shown again, only revoked and
 * replaced.
 *
 * @param token the record to store
 * @param text  the token to show once, such as {@code weft_0f3c9a61d2b4e857_<43 characters>}
 */
public record IssuedToken(ApiToken token, String text) {

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(text, "text");
    }

    /** Returns the token's id without the secret, so that a log or a debugger shows no secret. */
    @Override
    public String toString() {
        return "IssuedToken[id=" + token.id() + ", owner=" + token.owner() + ", expiresAt=" + token.expiresAt() + "]";
    }
}
