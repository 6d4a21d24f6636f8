package io.weft.node.agent.internal;

/**
 * A stored identity that cannot be read, is incomplete or fails validation, or that cannot be
 * written. The message names the file and the operator's next step.
 */
final class IdentityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    IdentityException(String message) {
        super(message);
    }

    IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
