package io.weft.node.agent.internal;

import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard {@link NodeStateListener}s, called one after the other on the agent thread.
 * A listener that throws is logged and the others are still called.
 */
final class StateListeners implements NodeStateListener {

    private static final Logger LOG = LoggerFactory.getLogger(StateListeners.class);

    private final List<NodeStateListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds {@code listener} and calls it with the current values. Runs on the agent thread. */
    void add(NodeStateListener listener, Optional<Identity> identity, AppliedState state) {
        listeners.add(listener);
        identity.ifPresent(current -> call(listener, target -> target.identityChanged(current)));
        if (state.revision() > 0) {
            call(listener, target -> target.stateApplied(state));
        }
    }

    void remove(NodeStateListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void identityChanged(Identity identity) {
        listeners.forEach(listener -> call(listener, target -> target.identityChanged(identity)));
    }

    @Override
    public void stateApplied(AppliedState state) {
        listeners.forEach(listener -> call(listener, target -> target.stateApplied(state)));
    }

    private static void call(NodeStateListener listener, Consumer<NodeStateListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.error("Node state: the listener {} failed", listener.getClass().getName(), e);
        }
    }
}
