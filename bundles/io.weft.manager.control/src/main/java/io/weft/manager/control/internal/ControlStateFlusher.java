package io.weft.manager.control.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.store.ControlStore;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;

/**
 * Writes what nodes report in batches: last-seen times, and the revisions that nodes applied.
 * After a change of the root domain 10,000 nodes acknowledge within seconds, and one
 * transaction per flush interval keeps that from costing 10,000 commits.
 */
final class ControlStateFlusher implements AutoCloseable {

    /** A node's newest acknowledgement that it applied a revision. */
    private record Applied(long revision, Instant time, String weftVersion) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ControlStateFlusher.class);

    /** Maximum wait at close for a batched write in progress. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ControlStore store;
    private final StoreTransactions transactions;
    private final NodeSessions sessions;
    private final Duration heartbeatInterval;
    private final Clock clock;
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "weft-control-flush");
        thread.setDaemon(true);
        return thread;
    });

    ControlStateFlusher(ControlStore store, StoreTransactions transactions, NodeSessions sessions,
            Duration heartbeatInterval, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void start(Duration interval) {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::flushLogged, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Queues an acknowledgement; of several for one node the highest revision is written. */
    void applied(String nodeId, long revision, Instant time, String weftVersion) {
        applied.merge(nodeId, new Applied(revision, time, weftVersion),
                (old, next) -> next.revision() >= old.revision() ? next : old);
    }

    /** Writes everything queued so far. */
    void flush() {
        Map<String, Instant> seen = sessions.drainUnflushed(clock.instant(), heartbeatInterval);
        if (!seen.isEmpty()) {
            store.recordLastSeen(seen);
        }
        Map<String, Applied> acknowledged = drainApplied();
        if (!acknowledged.isEmpty()) {
            writeApplied(acknowledged);
        }
    }

    /**
     * Stops the timer, lets a flush in progress finish, and flushes what is queued. The flush is
     * not interrupted, because an interrupt makes Derby close the connection and fail the
     * batch. At a stop that batch can contain the last-seen times of every node whose session
     * the server just closed.
     */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Control state: a batched write still runs after {} s, so it is interrupted",
                        CLOSE_TIMEOUT.toSeconds());
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        flushLogged();
    }

    private void flushLogged() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Control state: writing last-seen times and acknowledgements failed; they are lost, and"
                    + " nodes report them again on their next contact: {}", e.getMessage(), e);
        }
    }

    private Map<String, Applied> drainApplied() {
        Map<String, Applied> drained = new HashMap<>();
        for (String nodeId : Set.copyOf(applied.keySet())) {
            Applied ack = applied.remove(nodeId);
            if (ack != null) {
                drained.put(nodeId, ack);
            }
        }
        return drained;
    }

    /** Writes the batch in one transaction, or node by node when that fails, for example for a deleted node. */
    private void writeApplied(Map<String, Applied> acknowledged) {
        try {
            transactions.inTransaction(() -> {
                acknowledged.forEach(this::writeApplied);
                return null;
            });
        } catch (StoreException e) {
            acknowledged.forEach((nodeId, ack) -> {
                try {
                    writeApplied(nodeId, ack);
                } catch (StoreException single) {
                    LOG.warn("Control state: recording that node {} applied revision {} failed: {}", nodeId,
                            ack.revision(), single.getMessage());
                }
            });
        }
    }

    private void writeApplied(String nodeId, Applied ack) {
        store.recordApplied(nodeId, ack.revision(), ack.time(), ack.weftVersion());
    }
}
