package io.weft.fleet;

import io.weft.fleet.internal.EnumIds;

/** Role of a node in the mesh. */
public enum NodeRole {

    /** A node that only dials out to gateways. */
    EDGE("edge"),

    /** A node whose mesh listener other nodes dial, and which relays between edge nodes. */
    GATEWAY("gateway");

    private final String id;

    NodeRole(String id) {
        this.id = id;
    }

    /**
     * Parses {@code edge} or {@code gateway}, ignoring case.
     *
     * @throws InvalidFleetInputException with field {@code role} for any other text
     */
    public static NodeRole parse(String text) {
        return EnumIds.parse(text, NodeRole.class, NodeRole::id, "role", "node role");
    }

    /** Returns the lower-case id used in the API, such as {@code gateway}. */
    public String id() {
        return id;
    }
}
