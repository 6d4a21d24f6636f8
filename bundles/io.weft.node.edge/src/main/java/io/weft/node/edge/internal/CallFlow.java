package io.weft.node.edge.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.weft.app.api.Caller;
import io.weft.control.FlowRecord;
import io.weft.fleet.NodeFullName;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.mesh.api.BuiltInTarget;
import io.weft.policy.AppOperation;
import io.weft.policy.Decision;
import io.weft.policy.RuleRef;

/**
 * Collects the facts of one Edge API call while it is served, and emits its flow event once:
 * when an allowed call ends, with its status, or when a 401 or 403 denies it. A call that fails
 * before authorization with another status, such as 400, 404 or 429, gets no flow event,
 * because no policy decided on it. Thread-safe, because a call's deadline may end it on a timer
 * thread.
 */
final class CallFlow {

    private final Instant startedAt;
    private final long startNanos;
    private final LongSupplier nanoClock;
    private final LongSupplier responseBytes;
    private final Consumer<FlowEvent> sink;

    private NodeFullName self;
    private AppOperation operation;
    private Caller caller;
    private String via;
    private NodeFullName destination;
    private FlowRecord.End end = FlowRecord.End.DESTINATION;
    private boolean allowed;
    private String rule;
    private long requestBytes;
    private boolean emitted;

    /**
     * @param startedAt     when the request arrived
     * @param nanoClock     measures the call's duration, in nanoseconds
     * @param responseBytes returns the bytes of the response body written so far
     * @param sink          takes the flow event
     */
    CallFlow(Instant startedAt, LongSupplier nanoClock, LongSupplier responseBytes, Consumer<FlowEvent> sink) {
        this.startedAt = startedAt;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.responseBytes = responseBytes;
        this.sink = sink;
    }

    /** Sets this node, the destination of a call that it serves itself. */
    synchronized void servedBy(NodeFullName node) {
        self = node;
        if (end == FlowRecord.End.DESTINATION) {
            destination = node;
        }
    }

    synchronized void operation(AppOperation called) {
        operation = called;
    }

    synchronized void caller(AuthenticatedCaller authenticated) {
        caller = authenticated.caller();
        via = authenticated.relay().orElse(null);
    }

    /** Marks the call as allowed here by {@code decision}, to run on this node. */
    synchronized void allowed(Decision decision) {
        allowed = true;
        rule = ruleId(decision);
    }

    /** Marks the call as allowed by this node's {@code decision} and forwarded to {@code node}. */
    synchronized void forwarded(NodeFullName node, Decision decision) {
        forwardingTo(node);
        allowed(decision);
    }

    /** Marks this node as the source end of a call for {@code node}, before this node's policy decides. */
    synchronized void forwardingTo(NodeFullName node) {
        end = FlowRecord.End.SOURCE;
        destination = node;
    }

    synchronized void requestBytes(long bytes) {
        requestBytes = bytes;
    }

    /** Emits the record of an allowed call that ended with {@code status}; does nothing after the first record. */
    synchronized void finish(int status) {
        if (allowed) {
            emit(FlowRecord.Event.CLOSED, status);
        }
    }

    /**
     * Emits the record of a call that ended with {@code error}: an allowed call as CLOSED with the
     * error's status, a denial with 401 or 403 as DENIED with the deciding rule.
     */
    synchronized void reject(EdgeError error) {
        if (allowed) {
            emit(FlowRecord.Event.CLOSED, error.status());
        } else if (isDenial(error) && operation != null && self != null) {
            rule = error.rule();
            emit(FlowRecord.Event.DENIED, error.status());
        }
    }

    private static boolean isDenial(EdgeError error) {
        return error.status() == 401 || error.status() == 403;
    }

    private void emit(FlowRecord.Event event, int status) {
        if (emitted) {
            return;
        }
        emitted = true;
        Duration duration = Duration.ofNanos(Math.max(0, nanoClock.getAsLong() - startNanos));
        FlowEvent.Call call = new FlowEvent.Call(operation.app(), operation.operation(),
                caller == null ? null : caller.toString(), via, status);
        long bytesToSource = event == FlowRecord.Event.DENIED ? 0 : Math.max(0, responseBytes.getAsLong());
        sink.accept(new FlowEvent(event, end, source(), destination.toString(), BuiltInTarget.EDGE_API, 0, rule,
                startedAt, duration, requestBytes, bytesToSource, call));
    }

    /**
     * Returns the node where the call entered the fleet: this node when it forwards the call, the
     * node that forwarded it here, the calling node, or this node for an API client that called it.
     */
    private String source() {
        if (end == FlowRecord.End.SOURCE) {
            return self.toString();
        }
        if (via != null) {
            return via;
        }
        if (caller != null && caller.kind() == Caller.Kind.NODE) {
            return caller.name();
        }
        return self.toString();
    }

    private static String ruleId(Decision decision) {
        return decision.rule().map(RuleRef::id).orElse(null);
    }
}
