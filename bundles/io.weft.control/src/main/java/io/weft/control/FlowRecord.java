package io.weft.control;

/**
 * One event of a mesh stream as a node recorded it: the stream opened, closed, or was denied
 * by policy. Times are milliseconds since the Unix epoch, UTC.
 *
 * @param sequence            number that the node gives its records, increasing by one, from 1
 * @param event               what happened to the stream
 * @param end                 which end of the stream recorded it, because both ends record the same stream
 * @param source              full name {@code <node>.<domain>} of the node that opened the stream
 * @param destination         full name of the node that exposes the service
 * @param service             the service's name
 * @param port                the service's TCP port, which policy rules may name
 * @param action              the policy decision
 * @param rule                id of the rule that decided, {@code null} when no rule matched and the default denied
 * @param startedAtMillis     when the stream opened, or was denied
 * @param durationMillis      time from open to close, 0 for OPENED and for a stream denied at its open
 * @param bytesToDestination  payload bytes from the source to the destination, 0 for OPENED and for a stream
 *     denied at its open. A stream that a new policy cuts is reported as DENIED with its bytes until then.
 * @param bytesToSource       payload bytes from the destination back to the source
 */
public record FlowRecord(long sequence, Event event, End end, String source, String destination, String service,
        int port, Action action, String rule, long startedAtMillis, long durationMillis, long bytesToDestination,
        long bytesToSource) {

    /** The kind of stream event. */
    public enum Event {
        OPENED, CLOSED, DENIED
    }

    /** The end of a stream that recorded it. */
    public enum End {
        SOURCE, DESTINATION
    }

    /** The policy decision on a stream. */
    public enum Action {
        ALLOW, DENY
    }

    public FlowRecord {
        Require.positive(sequence, "sequence");
        Require.present(event, "event");
        Require.present(end, "end");
        Require.text(source, "source");
        Require.text(destination, "destination");
        Require.text(service, "service");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, but is " + port);
        }
        Require.present(action, "action");
        if (rule != null) {
            Require.text(rule, "rule");
        }
        Require.notNegative(startedAtMillis, "startedAtMillis");
        Require.notNegative(durationMillis, "durationMillis");
        Require.notNegative(bytesToDestination, "bytesToDestination");
        Require.notNegative(bytesToSource, "bytesToSource");
        if ((event == Event.DENIED) != (action == Action.DENY)) {
            throw new IllegalArgumentException("action " + action + " does not match event " + event
                    + ": a DENIED event has action DENY, and the other events ALLOW");
        }
    }
}
