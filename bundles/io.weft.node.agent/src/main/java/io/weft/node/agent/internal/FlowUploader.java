package io.weft.node.agent.internal;

import io.weft.control.ControlSession;
import io.weft.control.FlowAck;
import io.weft.control.FlowRecord;
import io.weft.control.FlowRecords;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the flow buffer to the manager one batch at a time: the next batch leaves after the
 * FLOW_ACK of the previous one, or after {@link #ACK_TIMEOUT} without it. A new session sends
 * the unacknowledged records again, and the manager ignores the ones it already stored.
 * Runs on the agent thread.
 */
final class FlowUploader {

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(FlowUploader.class);

    private final FlowBuffer buffer;
    private final LongSupplier nanoClock;
    private final long epoch;
    private ControlSession session;
    /** Sequence number of the last record of the batch awaiting its FLOW_ACK, 0 when none is. */
    private long inFlight;
    private long sentAtNanos;

    /** @param random draws the epoch that separates this agent's sequence numbers from those of its earlier runs */
    FlowUploader(FlowBuffer buffer, LongSupplier nanoClock, RandomGenerator random) {
        this.buffer = buffer;
        this.nanoClock = nanoClock;
        this.epoch = random.nextLong(1, Long.MAX_VALUE);
    }

    void connected(ControlSession newSession) {
        session = newSession;
        inFlight = 0;
        flush();
    }

    void acknowledged(ControlSession from, FlowAck ack) {
        if (from != session) {
            return;
        }
        buffer.acknowledge(ack.lastSequence());
        if (ack.lastSequence() >= inFlight) {
            inFlight = 0;
        }
        flush();
    }

    /** Sends the next batch when connected and no batch awaits its acknowledgement. */
    void flush() {
        if (session == null || !session.isConnected() || buffer.isEmpty()) {
            return;
        }
        if (inFlight != 0 && Duration.ofNanos(nanoClock.getAsLong() - sentAtNanos).compareTo(ACK_TIMEOUT) < 0) {
            return;
        }
        List<FlowRecord> batch = buffer.oldest(FlowRecords.MAX_RECORDS);
        if (batch.isEmpty()) {
            return;
        }
        FlowRecords message = new FlowRecords(epoch, batch, buffer.dropped());
        inFlight = message.lastSequence();
        sentAtNanos = nanoClock.getAsLong();
        session.send(message);
        LOG.debug("Flows: sent {} records up to sequence {}", batch.size(), inFlight);
    }
}
