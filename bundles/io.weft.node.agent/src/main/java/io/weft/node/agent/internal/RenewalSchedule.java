package io.weft.node.agent.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When a node certificate must be renewed, as deadlines on {@link System#nanoTime()}. The
 * wall clock is read once, when the certificate is loaded or received, to place the
 * deadlines. After that only elapsed time counts, so a wall-clock jump cannot skip the
 * renewal window.
 *
 * @param renewAtNanos   two thirds of the lifetime ({@value #RENEW_NUMERATOR}/{@value #RENEW_DENOMINATOR}),
 *                       from when the certificate's validity starts
 * @param warnAtNanos    when less than a tenth of the lifetime is left
 * @param expiresAtNanos the certificate's notAfter
 */
record RenewalSchedule(long renewAtNanos, long warnAtNanos, long expiresAtNanos) {

    static final long RENEW_NUMERATOR = 2;
    static final long RENEW_DENOMINATOR = 3;
    /** The warning starts when 1 / {@value} of the lifetime is left. */
    static final long WARN_DIVISOR = 10;

    /** Stage of a certificate's lifetime. */
    enum Phase {
        VALID, RENEW, WARN, EXPIRED
    }

    /**
     * Places the deadlines of a certificate valid from {@code notBefore} to {@code notAfter},
     * given the wall-clock time and {@link System#nanoTime()} value of the same moment.
     */
    static RenewalSchedule of(Instant notBefore, Instant notAfter, Instant wallNow, long nanoNow) {
        long lifetime = saturatedNanos(Duration.between(notBefore, notAfter));
        Instant renewAt = notBefore.plusNanos(lifetime / RENEW_DENOMINATOR * RENEW_NUMERATOR);
        Instant warnAt = notAfter.minusNanos(lifetime / WARN_DIVISOR);
        return new RenewalSchedule(deadline(wallNow, renewAt, nanoNow), deadline(wallNow, warnAt, nanoNow),
                deadline(wallNow, notAfter, nanoNow));
    }

    Phase phase(long nanoNow) {
        if (reached(expiresAtNanos, nanoNow)) {
            return Phase.EXPIRED;
        }
        if (reached(warnAtNanos, nanoNow)) {
            return Phase.WARN;
        }
        if (reached(renewAtNanos, nanoNow)) {
            return Phase.RENEW;
        }
        return Phase.VALID;
    }

    /** Returns the time left until renewal is due, zero when it is due already. */
    Duration untilRenewal(long nanoNow) {
        return Duration.ofNanos(Math.max(0, renewAtNanos - nanoNow));
    }

    Duration untilWarning(long nanoNow) {
        return Duration.ofNanos(Math.max(0, warnAtNanos - nanoNow));
    }

    Duration untilExpiry(long nanoNow) {
        return Duration.ofNanos(Math.max(0, expiresAtNanos - nanoNow));
    }

    /** Compares as {@link System#nanoTime()} requires, by the sign of the difference. */
    private static boolean reached(long deadline, long nanoNow) {
        return nanoNow - deadline >= 0;
    }

    /**
     * Returns {@code nanoNow} plus the time from {@code wallNow} to {@code at}, limited to about
     * 73 years either way so that the sum cannot overflow.
     */
    private static long deadline(Instant wallNow, Instant at, long nanoNow) {
        long limit = Long.MAX_VALUE / 4;
        long offset = Math.max(-limit, Math.min(limit, saturatedNanos(Duration.between(wallNow, at))));
        return nanoNow + offset;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }
}
