package io.weft.manager.access;

import java.util.Objects;
import java.util.Optional;

/**
 * Rejection of a presented API token. The message never contains the token's secret, only its
 * id when the token was well formed.
 *
 * <p>A REST layer responds with 401 Unauthorized for every reason. It should log
 * {@link #reason()} and the message, and send the client one generic message, so that a
 * client cannot learn which token ids exist.
 */
public final class TokenRejectedException extends RuntimeException {

    /** Reason for the rejection, in the order in which {@link ApiTokens} checks them. */
    public enum Reason {
        /** The text is not of the form of an API token. */
        MALFORMED,
        /** No stored token has the token's id. */
        UNKNOWN,
        /** A stored token has the id, but the secret does not match its hash. */
        INVALID_SECRET,
        /** The token matches but was revoked. */
        REVOKED,
        /** The token matches but its expiry time has passed. */
        EXPIRED
    }

    private final Reason reason;
    private final String tokenId;

    public TokenRejectedException(Reason reason, String tokenId, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.tokenId = tokenId;
    }

    public Reason reason() {
        return reason;
    }

    /** Returns the id of the presented token, or empty when the token was malformed. */
    public Optional<String> tokenId() {
        return Optional.ofNullable(tokenId);
    }
}
