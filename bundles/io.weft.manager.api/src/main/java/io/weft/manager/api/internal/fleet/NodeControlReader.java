package io.weft.manager.api.internal.fleet;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.weft.manager.api.presence.NodePresence;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeControl;

/**
 * Reads the control state of nodes for the API: desired and applied revision and
 * the last rejection from the store, online state and the newest last-seen time from the
 * control plane's {@link NodePresence} when it runs.
 */
@Component(service = NodeControlReader.class)
public class NodeControlReader {

    /**
     * The control state of one node.
     *
     * @param desiredRevision revision of the node's desired state, 0 before the first compilation
     * @param appliedRevision revision that the node last acknowledged as applied, 0 for none
     * @param online          whether the node has a control session with this manager
     * @param lastRejection   why the node rejected its last desired state, empty when it applied it
     * @param lastSeen        when the manager last heard from the node, if ever
     */
    public record ControlView(long desiredRevision, long appliedRevision, boolean online,
            Optional<String> lastRejection, Optional<Instant> lastSeen) {
    }

    /** Below this many nodes one query per node is cheaper than reading the control state of all nodes. */
    private static final int SINGLE_READ_LIMIT = 20;

    private final ControlStore store;
    private volatile NodePresence presence;

    @Activate
    public NodeControlReader(@Reference ControlStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setNodePresence(NodePresence service) {
        this.presence = service;
    }

    void unsetNodePresence(NodePresence service) {
        if (presence == service) {
            presence = null;
        }
    }

    public ControlView read(Node node) {
        Optional<NodeControl> control = StoreErrors.call(() -> store.findNodeControl(node.id()));
        return view(node, control.orElse(null), presence);
    }

    /**
     * Returns the control state of each node by id: one store read per node for a small page,
     * one read of every node's state for a larger one.
     */
    public Map<String, ControlView> read(List<Node> nodes) {
        Map<String, NodeControl> controls = nodes.size() <= SINGLE_READ_LIMIT ? readEach(nodes)
                : StoreErrors.call(store::listNodeControl);
        NodePresence current = presence;

        Map<String, ControlView> views = new HashMap<>();
        for (Node node : nodes) {
            views.put(node.id(), view(node, controls.get(node.id()), current));
        }
        return views;
    }

    private Map<String, NodeControl> readEach(List<Node> nodes) {
        Map<String, NodeControl> controls = new HashMap<>();
        for (Node node : nodes) {
            StoreErrors.call(() -> store.findNodeControl(node.id())).ifPresent(control -> controls.put(node.id(), control));
        }
        return controls;
    }

    private static ControlView view(Node node, NodeControl control, NodePresence presence) {
        boolean online = presence != null && presence.isOnline(node.id());
        Optional<Instant> lastSeen = newest(node.lastSeen(),
                presence == null ? Optional.empty() : presence.lastSeen(node.id()));
        if (control == null) {
            return new ControlView(0, 0, online, Optional.empty(), lastSeen);
        }
        return new ControlView(control.desiredRevision(), control.appliedRevision(), online, control.lastRejection(),
                lastSeen);
    }

    private static Optional<Instant> newest(Optional<Instant> stored, Optional<Instant> reported) {
        if (stored.isEmpty()) {
            return reported;
        }
        if (reported.isEmpty()) {
            return stored;
        }
        return stored.get().isAfter(reported.get()) ? stored : reported;
    }
}
