package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A flow record that a node reported for one of its mesh streams or Edge API calls. A call
 * record has the service {@code edge-api}, port 0 and the facts of the call in {@link #call()}.
 *
 * @param id                 the store's number of the record, increasing with every insert; 0 before it is stored
 * @param reporterNodeId     id of the node that reported the record
 * @param epoch              the reporting agent's run, which restarts the sequence numbers
 * @param sequence           the record's number within the epoch
 * @param event              {@code opened}, {@code closed} or {@code denied}
 * @param end                {@code source} or {@code destination}: the end of the stream that recorded it
 * @param source             full name of the node that opened the stream, or where the call entered the fleet
 * @param destination        full name of the node that exposes the service or runs the app
 * @param service            the service's name
 * @param port               the service's TCP port
 * @param action             {@code allow} or {@code deny}
 * @param rule               id of the rule that decided, empty when no rule matched and the default denied
 * @param startedAt          when the stream opened, or was denied
 * @param durationMillis     time from open to close in milliseconds
 * @param bytesToDestination payload bytes from the source to the destination
 * @param bytesToSource      payload bytes from the destination to the source
 * @param recordedAt         when the manager stored the record
 * @param call               the facts of an Edge API call, empty for a stream
 */
public record StoredFlow(long id, String reporterNodeId, long epoch, long sequence, String event, String end,
        String source, String destination, String service, int port, String action, Optional<String> rule, Instant startedAt,
        long durationMillis, long bytesToDestination, long bytesToSource, Instant recordedAt, Optional<Call> call) {

    /** {@link #kind()} of a mesh stream's record. */
    public static final String STREAM = "stream";
    /** {@link #kind()} of an Edge API call's record. */
    public static final String CALL = "call";
    public static final Set<String> KINDS = Set.of(STREAM, CALL);
    public static final Set<String> EVENTS = Set.of("opened", "closed", "denied");
    public static final Set<String> ENDS = Set.of("source", "destination");
    public static final Set<String> ACTIONS = Set.of("allow", "deny");

    public StoredFlow {
        Objects.requireNonNull(reporterNodeId, "reporterNodeId");
        requireCode("event", event, EVENTS);
        requireCode("end", end, ENDS);
        requireCode("action", action, ACTIONS);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(call, "call");
    }

    /**
     * The facts of an Edge API call.
     *
     * @param app       the app's name
     * @param operation the operation's name
     * @param caller    {@code node:<full name>} or {@code client:<name>}, empty when the caller failed to authenticate
     * @param via       full name of the node that forwarded the call, in the record of the node that served it
     * @param status    the HTTP status of the response
     */
    public record Call(String app, String operation, Optional<String> caller, Optional<String> via, int status) {

        public Call {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(via, "via");
        }
    }

    /** Creates the record of a mesh stream. */
    public StoredFlow(long id, String reporterNodeId, long epoch, long sequence, String event, String end,
            String source, String destination, String service, int port, String action, Optional<String> rule,
            Instant startedAt, long durationMillis, long bytesToDestination, long bytesToSource, Instant recordedAt) {
        this(id, reporterNodeId, epoch, sequence, event, end, source, destination, service, port, action, rule,
                startedAt, durationMillis, bytesToDestination, bytesToSource, recordedAt, Optional.empty());
    }

    /** Returns {@value #STREAM} or {@value #CALL}. */
    public String kind() {
        return call.isPresent() ? CALL : STREAM;
    }

    private static void requireCode(String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("Invalid " + field + " '" + value + "': expected one of "
                    + new java.util.TreeSet<>(allowed));
        }
    }
}
