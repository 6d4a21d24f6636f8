package io.weft.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides which of many like failures to log at WARN: the first of a key, then one per
 * interval with the count of those in between, which go to DEBUG. A key is a peer address
 * with a reason, so a port scanner or a revoked node that retries every few seconds leaves one
 * line a minute instead of one per attempt. The table keeps the most recent keys only.
 */
public final class RepeatLimiter {

    /** Number of keys kept; older keys are forgotten and log at WARN again. */
    public static final int MAX_KEYS = 1024;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_KEYS;
        }
    };

    /**
     * @param intervalNanos how long after a WARN line the same key logs at DEBUG
     * @param nanoClock     source of {@link System#nanoTime()}-like readings
     */
    public RepeatLimiter(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Returns -1 when this failure of {@code key} should go to DEBUG, else the number of
     * failures of the key that went to DEBUG since the last one logged at WARN.
     */
    public synchronized long admit(String key) {
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(key);
        if (entry == null) {
            entries.put(key, new Entry(now));
            return 0;
        }
        if (now - entry.loggedAtNanos < intervalNanos) {
            entry.suppressed++;
            return -1;
        }
        long suppressed = entry.suppressed;
        entry.loggedAtNanos = now;
        entry.suppressed = 0;
        return suppressed;
    }

    private static final class Entry {
        long loggedAtNanos;
        long suppressed;

        Entry(long loggedAtNanos) {
            this.loggedAtNanos = loggedAtNanos;
        }
    }
}
