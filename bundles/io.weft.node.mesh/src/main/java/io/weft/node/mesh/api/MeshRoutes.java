package io.weft.node.mesh.api;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Loopback routes to the built-in targets of other nodes: each TCP connection to a route's
 * address is carried as one mesh stream to the target, directly or through a gateway's relay.
 *
 * <p>A route listens on 127.0.0.1 only, so any local process can use it. It grants nothing
 * beyond what the target checks itself, because the stream reaches only endpoints that
 * authenticate each request.
 */
@ProviderType
public interface MeshRoutes {

    /**
     * Returns the loopback address of the route to {@code target} on node {@code nodeFullName},
     * opening its listener at the first request. A connection to it is reset when no tunnel
     * leads to the node or the node does not serve the target.
     *
     * @throws IOException when no loopback port can be bound
     * @throws IllegalStateException when the node has no mesh yet, because it has not enrolled
     */
    InetSocketAddress route(String nodeFullName, String target) throws IOException;
}
