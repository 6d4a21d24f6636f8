package io.weft.node.agent.api;

import io.weft.control.FlowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One event for the manager's flow records: a mesh stream opened, closed, or was denied by
 * policy, or an Edge API call ended or was denied.
 *
 * @param event              what happened: OPENED and CLOSED for streams, CLOSED for a call that ran,
 *     DENIED for a stream or call that was denied
 * @param end                which end of the stream or forwarded call this node is
 * @param source             full name {@code <node>.<domain>} of the node that opened the stream, or
 *     where the call entered the fleet: the calling node, or for an API client the first node it called
 * @param destination        full name of the node that exposes the service or runs the app
 * @param service            the service's name; {@code edge-api} for a call
 * @param port               the service's TCP port; 0 for a call
 * @param rule               id of the rule that decided, or null when no rule matched and the default
 *     denied, or when a check before the policy denied a call
 * @param startedAt          when the stream opened or the call arrived, or when it was denied
 * @param duration           time from open to close, zero for OPENED and for a stream denied at its open
 * @param bytesToDestination payload bytes from the source to the destination; the request body of a call
 * @param bytesToSource      payload bytes from the destination back to the source; the response body of a call
 * @param call               the facts of an Edge API call, null for a stream
 */
public record FlowEvent(FlowRecord.Event event, FlowRecord.End end, String source, String destination,
        String service, int port, String rule, Instant startedAt, Duration duration, long bytesToDestination,
        long bytesToSource, Call call) {

    /**
     * The facts of an Edge API call.
     *
     * @param app       the app's name
     * @param operation the operation's name
     * @param caller    {@code node:<full name>} or {@code client:<name>}, null when the caller failed to authenticate
     * @param via       full name of the node that forwarded the call to this node, null for a call
     *     that came directly
     * @param status    the HTTP status of the response
     */
    public record Call(String app, String operation, String caller, String via, int status) {

        public Call {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(operation, "operation");
        }
    }

    public FlowEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /** Creates the event of a mesh stream. */
    public FlowEvent(FlowRecord.Event event, FlowRecord.End end, String source, String destination, String service,
            int port, String rule, Instant startedAt, Duration duration, long bytesToDestination, long bytesToSource) {
        this(event, end, source, destination, service, port, rule, startedAt, duration, bytesToDestination,
                bytesToSource, null);
    }

    /** Returns true for the event of an Edge API call. */
    public boolean isCall() {
        return call != null;
    }

    /** Returns the record of this event with {@code sequence}, as it travels to the manager. */
    public FlowRecord toRecord(long sequence) {
        FlowRecord.Action action = event == FlowRecord.Event.DENIED ? FlowRecord.Action.DENY : FlowRecord.Action.ALLOW;
        long durationMillis = Math.max(0, duration.toMillis());
        if (call == null) {
            return new FlowRecord(sequence, event, end, source, destination, service, port, action, rule,
                    startedAt.toEpochMilli(), durationMillis, bytesToDestination, bytesToSource);
        }
        return new FlowRecord(sequence, event, end, source, destination, service, port, action, rule,
                startedAt.toEpochMilli(), durationMillis, bytesToDestination, bytesToSource, FlowRecord.Kind.CALL,
                call.app(), call.operation(), call.caller(), call.via(), call.status());
    }
}
