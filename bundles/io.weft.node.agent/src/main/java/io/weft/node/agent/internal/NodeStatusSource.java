package io.weft.node.agent.internal;

/** Reports the node agent's state, the service behind {@code weft:status}. */
public interface NodeStatusSource {

    NodeStatus status();
}
