package io.weft.manager.api.internal.access;

/**
 * A new API token, the only response that contains its secret.
 *
 * @param token  the token to send as {@code Authorization: Bearer <token>}; the manager stores
 *               only its SHA-256 and cannot show it again
 * @param details the token's id, owner and times
 */
public record IssuedTokenDto(String token, TokenDto details) {

    /** Describes the token without its secret, so that a log never shows it. */
    @Override
    public String toString() {
        return "IssuedTokenDto[details=" + details + "]";
    }
}
