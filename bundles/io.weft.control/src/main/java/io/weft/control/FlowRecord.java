package io.weft.control;

/**
 * One event of a mesh stream or one Edge API call, as a node recorded it. A stream opened,
 * closed, or was denied by policy. A call is recorded once, when it ends or is denied. Times are
 * milliseconds since the Unix epoch, UTC.
 *
 * <p>Call records carry the facts of the Edge API (app, operation, caller, forwarding node and
 * HTTP status), which are {@code null} in stream records. They exist since control protocol
 * version 2.
 *
 * @param sequence            number that the node gives its records, increasing by one, from 1
 * @param event               what happened: OPENED and CLOSED for streams, CLOSED for a call that
 *     ran and DENIED for a stream or call that was denied
 * @param end                 which end recorded it, because both ends record the same stream or forwarded call
 * @param source              full name {@code <node>.<domain>} of the node that opened the stream. For a
 *     call, the node where the call entered the fleet: the calling node, or for an API client the
 *     node that received the call first
 * @param destination         full name of the node that exposes the service or runs the app
 * @param service             the service's name; {@code edge-api} for a call
 * @param port                the service's TCP port, which policy rules may name; 0 for a call,
 *     because policy rules name the operation instead
 * @param action              the policy decision
 * @param rule                id of the rule that decided, {@code null} when no rule matched and the default
 *     denied, or when a check before the policy denied a call
 * @param startedAtMillis     when the stream opened or the call arrived, or when it was denied
 * @param durationMillis      time from open to close, 0 for OPENED and for a stream denied at its open
 * @param bytesToDestination  payload bytes from the source to the destination, 0 for OPENED and for a stream
 *     denied at its open. A stream that a new policy cuts is reported as DENIED with its bytes until then.
 *     For a call, the bytes of the request body
 * @param bytesToSource       payload bytes from the destination back to the source; for a call, the
 *     bytes of the response body
 * @param kind                STREAM or CALL
 * @param app                 the app of a call, {@code null} for a stream
 * @param operation           the operation of a call, {@code null} for a stream
 * @param caller              who made a call: {@code node:<full name>} or {@code client:<name>} for an API
 *     client; {@code null} for a stream and for a call whose caller failed to authenticate
 * @param via                 full name of the node that forwarded a call to the destination, in the
 *     destination's record; {@code null} otherwise
 * @param status              the HTTP status of a call's response, {@code null} for a stream
 */
public record FlowRecord(long sequence, Event event, End end, String source, String destination, String service,
        int port, Action action, String rule, long startedAtMillis, long durationMillis, long bytesToDestination,
        long bytesToSource, Kind kind, String app, String operation, String caller, String via, Integer status) {

    /** Whether a record describes a mesh stream or an Edge API call. */
    public enum Kind {
        STREAM, CALL
    }

    /** The kind of event. */
    public enum Event {
        OPENED, CLOSED, DENIED
    }

    /** The end of a stream or forwarded call that recorded it. */
    public enum End {
        SOURCE, DESTINATION
    }

    /** The policy decision on a stream or call. */
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
        Require.present(kind, "kind");
        if (kind == Kind.STREAM) {
            requireStream(port, app, operation, caller, via, status);
        } else {
            requireCall(event, port, app, operation, caller, via, status);
        }
    }

    /** Creates the record of a mesh stream, without the facts of a call. */
    public FlowRecord(long sequence, Event event, End end, String source, String destination, String service,
            int port, Action action, String rule, long startedAtMillis, long durationMillis, long bytesToDestination,
            long bytesToSource) {
        this(sequence, event, end, source, destination, service, port, action, rule, startedAtMillis, durationMillis,
                bytesToDestination, bytesToSource, Kind.STREAM, null, null, null, null, null);
    }

    private static void requireStream(int port, String app, String operation, String caller, String via,
            Integer status) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, but is " + port);
        }
        if (app != null || operation != null || caller != null || via != null || status != null) {
            throw new IllegalArgumentException("A STREAM record has no app, operation, caller, via or status,"
                    + " but has app=" + app + ", operation=" + operation + ", caller=" + caller + ", via=" + via
                    + ", status=" + status);
        }
    }

    private static void requireCall(Event event, int port, String app, String operation, String caller, String via,
            Integer status) {
        if (event == Event.OPENED) {
            throw new IllegalArgumentException("A CALL record has event CLOSED or DENIED, but has OPENED,"
                    + " because a call is recorded once when it ends");
        }
        if (port != 0) {
            throw new IllegalArgumentException("port must be 0 in a CALL record, but is " + port);
        }
        Require.text(app, "app");
        Require.text(operation, "operation");
        if (caller != null) {
            Require.text(caller, "caller");
        }
        if (via != null) {
            Require.text(via, "via");
        }
        Require.present(status, "status");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status from 100 to 599, but is " + status);
        }
    }
}
