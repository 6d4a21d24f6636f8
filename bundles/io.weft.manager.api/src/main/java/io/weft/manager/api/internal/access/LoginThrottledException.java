package io.weft.manager.api.internal.access;

import java.time.Duration;

/** Rejection of a password login that {@code LoginThrottle} blocks for {@link #retryAfter()}. */
final class LoginThrottledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("too many failed logins; retry in " + wholeSeconds(retryAfter) + " seconds");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the wait in whole seconds for the Retry-After header, rounded up and at least 1. */
    long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }

    private static long wholeSeconds(Duration wait) {
        long seconds = wait.toSeconds();
        return Math.max(1, wait.minusSeconds(seconds).isZero() ? seconds : seconds + 1);
    }
}
