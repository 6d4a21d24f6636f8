package io.weft.mesh;

import java.time.Instant;
import java.util.Objects;

/**
 * A relayed tunnel that a gateway splices: two connections, one from each node, that
 * presented the same ticket, and whose bytes the gateway copies from one to the other.
 *
 * @param source      full name of the node that asked for the tunnel, its TLS client
 * @param destination full name of the node at the other end
 * @param since       when the gateway spliced the two connections
 * @param bytes       bytes that the gateway copied so far, both directions together
 */
public record SplicedTunnel(String source, String destination, Instant since, long bytes) {

    public SplicedTunnel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(since, "since");
    }
}
