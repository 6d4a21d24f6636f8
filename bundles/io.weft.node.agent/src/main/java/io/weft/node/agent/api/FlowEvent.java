package io.weft.node.agent.api;

import io.weft.control.FlowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of a mesh stream for the manager's flow records: the stream opened, closed, or was
 * denied by policy.
 *
 * @param event              what happened to the stream
 * @param end                which end of the stream this node is
 * @param source             full name {@code <node>.<domain>} of the node that opened the stream
 * @param destination        full name of the node that exposes the service
 * @param service            the service's name
 * @param port               the service's TCP port
 * @param rule               id of the rule that decided, or null when no rule matched and the default denied
 * @param startedAt          when the stream opened, or was denied
 * @param duration           time from open to close, zero for OPENED and for a stream denied at its open
 * @param bytesToDestination payload bytes from the source to the destination
 * @param bytesToSource      payload bytes from the destination back to the source
 */
public record FlowEvent(FlowRecord.Event event, FlowRecord.End end, String source, String destination,
        String service, int port, String rule, Instant startedAt, Duration duration, long bytesToDestination,
        long bytesToSource) {

    public FlowEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /** Returns the record of this event with {@code sequence}, as it travels to the manager. */
    public FlowRecord toRecord(long sequence) {
        FlowRecord.Action action = event == FlowRecord.Event.DENIED ? FlowRecord.Action.DENY : FlowRecord.Action.ALLOW;
        return new FlowRecord(sequence, event, end, source, destination, service, port, action, rule,
                startedAt.toEpochMilli(), Math.max(0, duration.toMillis()), bytesToDestination, bytesToSource);
    }
}
