package io.weft.node.mesh.internal;

import io.weft.control.FlowRecord;
import io.weft.mesh.MeshStream;
import io.weft.node.agent.api.FlowEvent;
import io.weft.policy.Decision;
import io.weft.policy.RuleRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the policy decisions and the ends of this node's streams into flow events for the
 * manager: OPENED and DENIED when policy decides, CLOSED with the bytes each way when a stream
 * ends, and DENIED with the bytes so far when a new state cuts an open stream.
 */
final class FlowLog {

    private static final Logger LOG = LoggerFactory.getLogger(FlowLog.class);

    /**
     * A stream that policy allowed at this end, and which this log reports once more when it ends.
     *
     * @param port the service's port, which policy reads again after each new state
     */
    record Tracked(FlowRecord.End end, String source, String destination, String service, int port, String rule,
            Instant startedAt) {
    }

    private final Consumer<FlowEvent> sink;
    private final Clock clock;

    FlowLog(Consumer<FlowEvent> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Reports a stream that policy allowed and returns it for the report of its end. */
    Tracked opened(FlowRecord.End end, String source, String destination, String service, int port,
            Decision decision) {
        Tracked flow = new Tracked(end, source, destination, service, port, ruleId(decision), clock.instant());
        emit(new FlowEvent(FlowRecord.Event.OPENED, end, source, destination, service, port, flow.rule(),
                flow.startedAt(), Duration.ZERO, 0, 0));
        return flow;
    }

    void denied(FlowRecord.End end, String source, String destination, String service, int port,
            Decision decision) {
        emit(new FlowEvent(FlowRecord.Event.DENIED, end, source, destination, service, port, ruleId(decision),
                clock.instant(), Duration.ZERO, 0, 0));
    }

    /** Reports the end of an allowed stream with the payload bytes that {@code stream} moved. */
    void closed(Tracked flow, MeshStream stream) {
        emitEnd(FlowRecord.Event.CLOSED, flow, flow.rule(), stream);
    }

    /** Reports an open stream that a new state denies, with the bytes it moved until then. */
    void cut(Tracked flow, MeshStream stream, Decision decision) {
        emitEnd(FlowRecord.Event.DENIED, flow, ruleId(decision), stream);
    }

    /** Reports an open stream whose far end a new state revokes, with the bytes it moved until then. */
    void revoked(Tracked flow, MeshStream stream) {
        emitEnd(FlowRecord.Event.DENIED, flow, null, stream);
    }

    private void emitEnd(FlowRecord.Event event, Tracked flow, String rule, MeshStream stream) {
        long sent = stream == null ? 0 : stream.bytesSent();
        long received = stream == null ? 0 : stream.bytesReceived();
        boolean atSource = flow.end() == FlowRecord.End.SOURCE;
        Duration duration = Duration.between(flow.startedAt(), clock.instant());
        emit(new FlowEvent(event, flow.end(), flow.source(), flow.destination(), flow.service(), flow.port(), rule,
                flow.startedAt(), duration.isNegative() ? Duration.ZERO : duration, atSource ? sent : received,
                atSource ? received : sent));
    }

    private void emit(FlowEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Mesh: recording a {} flow of service '{}' from '{}' failed: {}", event.event(), event.service(),
                    event.source(), e.toString());
        }
    }

    private static String ruleId(Decision decision) {
        return decision.rule().map(RuleRef::id).orElse(null);
    }
}
