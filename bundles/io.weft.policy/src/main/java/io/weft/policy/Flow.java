package io.weft.policy;

import java.util.Objects;

/**
 * One connection or call that a policy decides on: a source reaching a service or an app
 * operation on a destination node.
 *
 * @param source      the calling node or API client
 * @param destination the node that offers the service or runs the app
 * @param target      the service with protocol and port, or the app operation
 */
public record Flow(Subject source, NodeSubject destination, Target target) {

    public Flow {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(target, "target");
    }

    /** Returns {@code node:a.x.example -> service ssh (tcp/22) on node:b.y.example}. */
    @Override
    public String toString() {
        return source + " -> " + target + " on " + destination;
    }
}
