package io.weft.node.mesh.internal;

import io.weft.mesh.MeshSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The node's mesh configuration, validated from PID {@code io.weft.mesh}.
 *
 * @param listenAddress the gateway listener's address, empty on an edge node
 * @param gateways      the gateways that this node dials
 * @param mesh          limits and timers of the tunnels
 * @param relayedTunnels true when this node requests from its gateway a relayed tunnel to a node
 *     that it reaches through the gateway and accepts those that others ask for, false when such
 *     streams stay in the end-to-end session
 */
record MeshNodeSettings(Optional<InetSocketAddress> listenAddress, List<GatewayAddress> gateways, MeshSettings mesh,
        boolean relayedTunnels) {

    MeshNodeSettings {
        gateways = List.copyOf(gateways);
    }

    boolean isGateway() {
        return listenAddress.isPresent();
    }
}
