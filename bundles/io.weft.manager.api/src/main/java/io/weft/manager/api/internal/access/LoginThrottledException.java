package io.weft.manager.api.internal.access;

import java.time.Duration;

/** Rejection of a password login that {@code LoginThrottle} blocks for {@link #retryAfter()}. */
final class LoginThrottledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("too many failed password logins for this user name or from this address: wait "
                + seconds(wholeSeconds(retryAfter)) + " (the Retry-After header) before the next attempt");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the wait in whole seconds for the Retry-After header, rounded up and at least 1. */
    long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }

    private static String seconds(long count) {
        return count == 1 ? "1 second" : count + " seconds";
    }

    private static long wholeSeconds(Duration wait) {
        long seconds = wait.toSeconds();
        return Math.max(1, wait.minusSeconds(seconds).isZero() ? seconds : seconds + 1);
    }
}
