package io.weft.manager.api.internal.access;

/**
 * Rejection of a request's credentials. The message states the reason for the log and never
 * contains a password or a token secret. The client gets one generic message for every reason.
 */
final class AuthenticationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AuthenticationFailedException(String message) {
        super(message);
    }
}
