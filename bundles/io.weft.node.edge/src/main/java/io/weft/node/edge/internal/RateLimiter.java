package io.weft.node.edge.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per caller: each caller may make {@code burst} calls at once and then
 * {@code ratePerSecond} calls per second. Thread-safe.
 *
 * <p>At most {@link #MAX_CALLERS} buckets are kept. When a new caller would pass that number,
 * the buckets that are full again are dropped first, because dropping them changes nothing.
 * If every bucket is in use, all are dropped, so each caller starts again with a full bucket.
 */
final class RateLimiter {

    static final int MAX_CALLERS = 10_000;

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nanoTime a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests */
    RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("Invalid rate " + ratePerSecond + "/s with burst " + burst
                    + ": both must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one call from the caller's bucket and returns false when it is empty. */
    boolean tryAcquire(String caller) {
        if (buckets.size() >= MAX_CALLERS && !buckets.containsKey(caller)) {
            evict();
        }
        return buckets.computeIfAbsent(caller, key -> new Bucket(burst, nanoTime.getAsLong())).take(this);
    }

    /** Returns the seconds until the caller's bucket contains one call again, at least 1. */
    long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (ratePerNano * 1e9)));
    }

    private void evict() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(this, now));
        if (buckets.size() >= MAX_CALLERS) {
            buckets.clear();
        }
    }

    private static final class Bucket {

        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized boolean take(RateLimiter limiter) {
            refill(limiter, limiter.nanoTime.getAsLong());
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean isFull(RateLimiter limiter, long now) {
            refill(limiter, now);
            return tokens >= limiter.burst;
        }

        private void refill(RateLimiter limiter, long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(limiter.burst, tokens + elapsed * limiter.ratePerNano);
                refilledAt = now;
            }
        }
    }
}
