package io.weft.node.agent.internal;

/**
 * A failed enrollment, with a message for the operator. {@link #isRetryable()} returns whether
 * the same token may succeed later, as after a network failure or a server error.
 */
public final class EnrollmentException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    EnrollmentException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    EnrollmentException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
