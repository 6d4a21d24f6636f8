package io.weft.app.api;

import java.util.Objects;

/**
 * Authenticated caller of an operation.
 *
 * @param kind a node of the fleet or an API client
 * @param name the node's full name {@code <node>.<domain>} from its certificate, or the API
 *             client's name from its token
 */
public record Caller(Kind kind, String name) {

    /** Means by which the caller was authenticated. */
    public enum Kind {
        /** A node of the fleet, by its client certificate from the Weft CA. */
        NODE,
        /** An API client, by a token that the manager issued. */
        CLIENT
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** Returns the caller in selector syntax: {@code node:<full name>} or {@code client:<name>}. */
    @Override
    public String toString() {
        return (kind == Kind.NODE ? "node:" : "client:") + name;
    }
}
