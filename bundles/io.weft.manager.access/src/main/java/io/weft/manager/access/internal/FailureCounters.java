package io.weft.manager.access.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failure counts per key with exponential backoff, bounded in size. Not thread-safe: the
 * caller synchronizes.
 *
 * <p>Entries are kept in the order of their last failure, so the eldest entry is the one that
 * failed least recently. Expired entries are removed from that end, and when the map is full
 * the eldest entry goes even if it has not expired.
 */
public final class FailureCounters {

    /** Backoff settings; see the constants of the public LoginThrottle for their meaning. */
    public record Limits(int freeFailures, Duration window, Duration firstDelay, Duration maxDelay, int maxKeys) {
    }

    private static final class Entry {
        int failures;
        Instant lastFailure;
        Instant blockedUntil;
    }

    private final Limits limits;
    private final Map<String, Entry> entries;

    public FailureCounters(Limits limits) {
        this.limits = limits;
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > limits.maxKeys();
            }
        };
    }

    /** Returns how long the key must wait before its next attempt, or empty when it may try now. */
    public Optional<Duration> retryAfter(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || entry.blockedUntil == null || !now.isBefore(entry.blockedUntil)) {
            return Optional.empty();
        }
        // A wall clock that jumped back must not block a key for longer than the maximum delay.
        Duration remaining = Duration.between(now, entry.blockedUntil);
        return Optional.of(remaining.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : remaining);
    }

    /** Counts a failure of the key at {@code now} and blocks it when it has used its free failures. */
    public void recordFailure(String key, Instant now) {
        removeExpired(now);
        Entry entry = entries.remove(key);
        if (entry == null || isExpired(entry, now)) {
            entry = new Entry();
        }
        entry.failures++;
        entry.lastFailure = now;
        int excess = entry.failures - limits.freeFailures();
        if (excess > 0) {
            entry.blockedUntil = now.plus(delay(excess));
        }
        entries.put(key, entry);
    }

    public void reset(String key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    /** Returns the first delay doubled {@code excess - 1} times, capped at the maximum delay. */
    private Duration delay(int excess) {
        Duration delay = limits.firstDelay();
        for (int i = 1; i < excess && delay.compareTo(limits.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : delay;
    }

    private boolean isExpired(Entry entry, Instant now) {
        return !now.isBefore(entry.lastFailure.plus(limits.window()));
    }

    private void removeExpired(Instant now) {
        Iterator<Entry> eldestFirst = entries.values().iterator();
        while (eldestFirst.hasNext() && isExpired(eldestFirst.next(), now)) {
            eldestFirst.remove();
        }
    }
}
