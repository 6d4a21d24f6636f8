package io.weft.node.mesh.internal;

import io.weft.node.agent.api.FlowEvent;
import io.weft.node.mesh.internal.tcp.TcpReactor;
import java.util.List;
import java.util.Optional;

/** The running mesh node, for connectors, within this bundle. */
interface MeshNodeAccess {

    /** Returns the mesh node, empty while the node has no identity. */
    Optional<MeshNode> node();

    TcpReactor reactor();

    /** Returns the latest flow events of this node, newest first. */
    List<FlowEvent> recentFlows();
}
