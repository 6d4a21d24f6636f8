package io.weft.manager.api.internal.access;

import java.time.Duration;

/** Rejection of a password login that {@code LoginThrottle} blocks for {@link #retryAfter()}. */
final class LoginThrottledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("too many failed logins; retry in " + retryAfter.toSeconds() + " seconds");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the wait in whole seconds for the Retry-After header, rounded up and at least 1. */
    long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds();
        return Math.max(1, retryAfter.minusSeconds(seconds).isZero() ? seconds : seconds + 1);
    }
}
