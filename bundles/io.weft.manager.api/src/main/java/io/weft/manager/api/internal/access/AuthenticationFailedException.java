package io.weft.manager.api.internal.access;

import java.util.Objects;

/**
 * Rejection of a request's credentials. The message states the reason for the log and never
 * contains a password or a token secret. The client gets the message of the {@link Kind}, which
 * never reveals whether a user name exists.
 */
final class AuthenticationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Kind of rejection, each with the message that the client gets. */
    enum Kind {
        /** No Authorization header. */
        MISSING("authentication required: send an operator's user name and password with Basic, or an API token"
                + " with Bearer, in the Authorization header"),
        /** An Authorization header that is neither Basic user:password nor Bearer with a token. */
        MALFORMED("malformed Authorization header: send \"Basic \" and the Base64 of user-name:password in UTF-8,"
                + " or \"Bearer \" and an API token"),
        /** Basic credentials with a wrong password, an unknown user name or a disabled account. */
        WRONG_PASSWORD("invalid user name or password, or a disabled account: check both and retry;"
                + " repeated failures are throttled"),
        /** A Bearer token that is unknown, wrong, expired or revoked, or whose owner is disabled. */
        REJECTED_TOKEN("invalid API token: it is unknown, expired or revoked, or its owner is disabled; issue a"
                + " new one with POST /api/v1/tokens");

        private final String clientMessage;

        Kind(String clientMessage) {
            this.clientMessage = clientMessage;
        }

        String clientMessage() {
            return clientMessage;
        }
    }

    private final Kind kind;

    AuthenticationFailedException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    Kind kind() {
        return kind;
    }
}
