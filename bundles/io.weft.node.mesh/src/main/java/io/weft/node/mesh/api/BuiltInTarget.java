package io.weft.node.mesh.api;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A TCP endpoint of this node that other nodes reach through the mesh as the stream target
 * {@code builtin:<name>}, registered as an OSGi service by the bundle that serves it.
 *
 * <p>Unlike a configured service, the mesh does not check its policy rules for a built-in
 * target, because the endpoint authenticates and authorizes each request itself, such as the
 * Edge API with mutual TLS. A stream reaches it only from a node whose certificate the mesh's
 * TLS validated.
 */
@ConsumerType
public interface BuiltInTarget {

    /** Name of the Edge API's target. */
    String EDGE_API = "edge-api";

    /** Returns the target's name, 1 to 63 letters, digits and hyphens. */
    String name();

    /** Returns the address that the mesh connects to for each stream, empty while the endpoint is not listening. */
    Optional<InetSocketAddress> address();
}
