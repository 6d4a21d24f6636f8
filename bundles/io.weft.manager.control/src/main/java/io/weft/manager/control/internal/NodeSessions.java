package io.weft.manager.control.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.weft.control.ControlSession;

/**
 * The accepted control session of each node, at most one per node, and when the manager last
 * heard from each node. Last-seen times are kept here and written to the store in batches, so
 * heartbeats of thousands of nodes cause no write each. Thread-safe.
 */
final class NodeSessions {

    /** A node's accepted session with the Weft version that the node reported last. */
    static final class NodeSession {

        private final String nodeId;
        private final ControlSession session;
        private volatile String weftVersion;

        NodeSession(String nodeId, ControlSession session, String weftVersion) {
            this.nodeId = nodeId;
            this.session = session;
            this.weftVersion = weftVersion;
        }

        String nodeId() {
            return nodeId;
        }

        ControlSession session() {
            return session;
        }

        String weftVersion() {
            return weftVersion;
        }

        void weftVersion(String version) {
            weftVersion = version;
        }
    }

    private final Map<String, NodeSession> byNode = new ConcurrentHashMap<>();
    private final Map<Long, NodeSession> bySession = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> unflushed = new ConcurrentHashMap<>();

    /**
     * Makes the session the node's online session.
     *
     * @return the session that it replaces, which the caller closes
     */
    Optional<NodeSession> accept(NodeSession accepted, Instant now) {
        bySession.put(accepted.session().id(), accepted);
        NodeSession replaced = byNode.put(accepted.nodeId(), accepted);
        seen(accepted.nodeId(), now);
        if (replaced != null) {
            bySession.remove(replaced.session().id(), replaced);
        }
        return Optional.ofNullable(replaced);
    }

    /** Returns the accepted session that the control session belongs to, if it is accepted. */
    Optional<NodeSession> of(ControlSession session) {
        return Optional.ofNullable(bySession.get(session.id()));
    }

    Optional<NodeSession> online(String nodeId) {
        return Optional.ofNullable(byNode.get(nodeId));
    }

    boolean isOnline(String nodeId) {
        return byNode.containsKey(nodeId);
    }

    Set<String> onlineNodes() {
        return Set.copyOf(byNode.keySet());
    }

    int onlineCount() {
        return byNode.size();
    }

    /**
     * Removes a closed session. The node goes offline unless a newer session replaced this one.
     *
     * @return the removed session when it was the node's online session
     */
    Optional<NodeSession> closed(ControlSession session, Instant now) {
        NodeSession closed = bySession.remove(session.id());
        if (closed == null || !byNode.remove(closed.nodeId(), closed)) {
            return Optional.empty();
        }
        seen(closed.nodeId(), now);
        return Optional.of(closed);
    }

    /** Records contact with a node. */
    void seen(String nodeId, Instant time) {
        lastSeen.merge(nodeId, time, NodeSessions::later);
        unflushed.merge(nodeId, time, NodeSessions::later);
    }

    Optional<Instant> lastSeen(String nodeId) {
        return Optional.ofNullable(lastSeen.get(nodeId));
    }

    /**
     * Returns and clears the last-seen times not yet written to the store.
     *
     * <p>Heartbeats are acknowledged below the listener, so they leave no trace here. An online
     * node whose last contact is older than {@code heartbeatInterval} is therefore counted as
     * seen {@code now}: its session would have been closed after a few missed heartbeats.
     */
    Map<String, Instant> drainUnflushed(Instant now, Duration heartbeatInterval) {
        Instant stale = now.minus(heartbeatInterval);
        for (String nodeId : byNode.keySet()) {
            Instant seen = lastSeen.get(nodeId);
            if (seen == null || seen.isBefore(stale)) {
                seen(nodeId, now);
            }
        }

        Map<String, Instant> drained = new HashMap<>();
        for (String nodeId : Set.copyOf(unflushed.keySet())) {
            Instant time = unflushed.remove(nodeId);
            if (time != null) {
                drained.put(nodeId, time);
            }
        }
        return drained;
    }

    /** Forgets a deleted node's times. */
    void forget(String nodeId) {
        lastSeen.remove(nodeId);
        unflushed.remove(nodeId);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
