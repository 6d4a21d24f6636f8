package io.weft.manager.store;

/** Part that a node plays in the mesh. */
public enum NodeRole {
    /** A node that only dials out to gateways. */
    EDGE,
    /** A node that opens a mesh listener that other nodes dial. */
    GATEWAY
}
