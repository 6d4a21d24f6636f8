package io.weft.node.mesh.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the tunnels that a node closes because the peer's certificate serial is revoked. Each
 * peer gets one WARN per interval with the number of rejections since the last one, and DEBUG
 * lines in between, so a revoked node that keeps dialling does not flood the log. Thread-safe.
 */
final class RejectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    RejectionLog(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Records one rejected tunnel of {@code peer}.
     *
     * @return true when this call logged at WARN
     */
    boolean rejected(String peer) {
        long now = nanoClock.getAsLong();
        Entry entry = entries.compute(peer, (name, previous) -> previous == null || now - previous.loggedAt >= intervalNanos
                ? new Entry(now, 1, true)
                : new Entry(previous.loggedAt, previous.count + 1, false));
        if (entry.logNow) {
            LOG.warn("Mesh: closing the new tunnel to {} because its certificate serial is revoked; further "
                    + "rejections of this peer are logged at DEBUG for {} s", peer, Duration.ofNanos(intervalNanos).toSeconds());
        } else {
            LOG.debug("Mesh: closing the new tunnel to {} because its certificate serial is revoked ({} times in {} s)",
                    peer, entry.count, Duration.ofNanos(now - entry.loggedAt).toSeconds());
        }
        return entry.logNow;
    }

    private record Entry(long loggedAt, int count, boolean logNow) {
    }
}
