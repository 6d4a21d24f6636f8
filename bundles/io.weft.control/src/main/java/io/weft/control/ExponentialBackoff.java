package io.weft.control;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays with exponential growth and full jitter: the n-th delay after a success
 * (n counted from 0) is drawn uniformly from 0 to {@code min(cap, base * 2^n)} milliseconds,
 * both inclusive. Jitter over the whole range spreads the reconnects of a fleet that lost
 * the manager at the same moment. Thread-safe.
 */
public final class ExponentialBackoff {

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;
    private int failures;

    /**
     * @param base ceiling of the first delay, at least 1 ms
     * @param cap largest ceiling, at least {@code base}
     * @param random source of jitter; pass a seeded generator in tests
     */
    public ExponentialBackoff(Duration base, Duration cap, RandomGenerator random) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (baseMillis < 1) {
            throw new IllegalArgumentException("base must be at least 1 ms, but is " + base);
        }
        if (capMillis < baseMillis) {
            throw new IllegalArgumentException("cap (" + cap + ") must not be shorter than base (" + base + ")");
        }
        if (capMillis == Long.MAX_VALUE) {
            throw new IllegalArgumentException("cap must be shorter than " + Long.MAX_VALUE + " ms");
        }
    }

    /** Returns the delay before the next attempt and counts one more failure. */
    public synchronized Duration nextDelay() {
        long ceiling = ceilingMillis(failures);
        if (failures < Integer.MAX_VALUE) {
            failures++;
        }
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** Starts again from {@code base}; call it once a connection has succeeded. */
    public synchronized void reset() {
        failures = 0;
    }

    /** Returns the number of delays handed out since construction or the last {@link #reset()}. */
    public synchronized int failures() {
        return failures;
    }

    /** Returns the ceiling of the delay after {@code failures} failures, in milliseconds. */
    long ceilingMillis(int failures) {
        // A shift by at least numberOfLeadingZeros - 1 would reach the sign bit.
        if (failures >= Long.numberOfLeadingZeros(baseMillis) - 1) {
            return capMillis;
        }
        return Math.min(capMillis, baseMillis << failures);
    }
}
