package io.weft.node.mesh.internal;

import io.weft.policy.ServiceName;
import java.util.Objects;

/**
 * A TCP service that this node exposes to the mesh, from a configuration of factory PID
 * {@code io.weft.mesh.service}.
 *
 * @param name the service name that streams request as {@code service:<name>}
 * @param host the host that the node connects to for each stream
 * @param port the TCP port, from 1 to 65535
 */
record ExposedService(String name, String host, int port) {

    ExposedService {
        name = ServiceName.of(Objects.requireNonNull(name, "name").strip()).toString();
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Invalid service '" + name + "': its host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid service '" + name + "': port " + port
                    + " is not from 1 to 65535");
        }
    }
}
