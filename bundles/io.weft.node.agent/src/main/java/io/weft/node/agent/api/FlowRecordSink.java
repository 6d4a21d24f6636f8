package io.weft.node.agent.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes the flow records of this node, of mesh streams and Edge API calls, and sends them to the manager in batches over the
 * control connection. Records wait in a bounded buffer while the manager is away. When the
 * buffer is full the oldest record is dropped and counted. Thread-safe, and no method blocks.
 */
@ProviderType
public interface FlowRecordSink {

    /**
     * Counters of the buffer.
     *
     * @param buffered records waiting for the manager's acknowledgement
     * @param capacity maximum number of buffered records
     * @param dropped  records dropped since the node started, because the buffer was full
     * @param acknowledged records that the manager acknowledged since the node started
     */
    record Status(int buffered, int capacity, long dropped, long acknowledged) {
    }

    /** Queues {@code event} for the manager and returns at once. */
    void record(FlowEvent event);

    Status bufferStatus();

    /**
     * Returns the latest events of every kind that this sink took, newest first, whether or not
     * the manager acknowledged them, at most {@value #RECENT_EVENTS}.
     */
    List<FlowEvent> recentEvents();

    /** Maximum number of events that {@link #recentEvents()} returns. */
    int RECENT_EVENTS = 100;
}
