package io.weft.manager.control.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.ControlCodecFactory;
import io.weft.control.DesiredState;
import io.weft.control.ControlSession;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.ControlStore;

/**
 * Signs compiled desired states, keeps the latest signed state of each node, and sends it to
 * the node when the node is online and when it connects.
 *
 * <p>The latest state of all nodes stays in memory, so a reconnecting node costs no signature.
 * NOTE: a signed state carries the signer's certificate chain, so it takes a few KB. For 10,000
 * nodes that is an estimated 40 MB of heap, which has not been measured.
 */
final class StatePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StatePublisher.class);

    /** Largest signed state that fits one control frame with its revision. */
    static final int MAX_STATE_BYTES = ControlCodecFactory.DEFAULT_MAX_PAYLOAD_BYTES - Long.BYTES;

    private final ManagerPki pki;
    private final NodeSessions sessions;
    private final ControlStore controlStore;
    private final Map<String, DesiredState> latest = new ConcurrentHashMap<>();

    StatePublisher(ManagerPki pki, NodeSessions sessions, ControlStore controlStore) {
        this.pki = Objects.requireNonNull(pki, "pki");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.controlStore = Objects.requireNonNull(controlStore, "controlStore");
    }

    /**
     * Signs the state unless the node already has a signed state of this revision, and sends
     * it to the node when it is online.
     */
    void publish(CompiledState compiled) {
        DesiredState current = latest.get(compiled.nodeId());
        if (!compiled.changed() && current != null && current.revision() == compiled.revision()) {
            return;
        }

        DesiredState signed = new DesiredState(compiled.revision(), pki.signState(compiled.document().toJson()));
        if (signed.envelope().length > MAX_STATE_BYTES) {
            rejectOversized(compiled, signed);
            return;
        }
        latest.compute(compiled.nodeId(), (nodeId, previous) -> {
            if (previous != null && previous.revision() > signed.revision()) {
                return previous;
            }
            sessions.online(nodeId).ifPresent(online -> send(nodeId, online.session(), signed));
            return signed;
        });
    }

    /**
     * Keeps the node on its last deliverable state and records why on the node, so that the
     * API shows it as the node's last rejection.
     */
    private void rejectOversized(CompiledState compiled, DesiredState signed) {
        String reason = "The desired state of revision " + compiled.revision() + " has " + signed.envelope().length
                + " bytes when signed, more than the control channel's maximum of " + MAX_STATE_BYTES + " bytes, so"
                + " the node keeps its last state; remove configuration from the profiles of the node and its domains";
        LOG.warn("Desired state: node {} ({}): {}", compiled.document().nodeName(), compiled.nodeId(), reason);
        controlStore.recordRejection(compiled.nodeId(), reason);
    }

    /**
     * Sends the node's latest signed state to a session that the node just opened.
     *
     * @return false when no state is signed for the node yet
     */
    boolean sendLatest(String nodeId, ControlSession session) {
        DesiredState sent = latest.computeIfPresent(nodeId, (id, state) -> {
            send(id, session, state);
            return state;
        });
        return sent != null;
    }

    boolean hasState(String nodeId) {
        return latest.containsKey(nodeId);
    }

    Set<String> nodesWithState() {
        return Set.copyOf(latest.keySet());
    }

    /** Forgets a deleted or revoked node's state. */
    void forget(String nodeId) {
        latest.remove(nodeId);
    }

    /**
     * Queues the message on the session. Calls for one node run inside {@link Map#compute} of
     * its entry, so a newer revision is never written before an older one.
     */
    private static void send(String nodeId, ControlSession session, DesiredState state) {
        session.send(state).whenComplete((written, failure) -> {
            if (failure != null) {
                LOG.debug("Desired state: revision {} not sent to node '{}' on {}: {}", state.revision(), nodeId,
                        session, failure.toString());
            }
        });
    }
}
