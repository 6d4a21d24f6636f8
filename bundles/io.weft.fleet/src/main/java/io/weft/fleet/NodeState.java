package io.weft.fleet;

import io.weft.fleet.internal.EnumIds;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle state of a node record. A record starts as {@link #CREATED}. Enrollment makes it
 * {@link #ENROLLED}, and revocation from either state makes it {@link #REVOKED} for good.
 */
public enum NodeState {

    /** The operator created the record. The machine has not enrolled yet. */
    CREATED("created"),

    /** The machine sent its certificate request with a valid token and received a certificate. */
    ENROLLED("enrolled"),

    /** The node's certificates are revoked. A revoked record never becomes active again. */
    REVOKED("revoked");

    private final String id;

    NodeState(String id) {
        this.id = id;
    }

    /**
     * Parses a state id, ignoring case.
     *
     * @throws InvalidFleetInputException with field {@code state} for an unknown id
     */
    public static NodeState parse(String text) {
        return EnumIds.parse(text, NodeState.class, NodeState::id, "state", "node state");
    }

    /** Returns the lower-case id used in the API, such as {@code enrolled}. */
    public String id() {
        return id;
    }

    /**
     * Returns the states that this state can move to: created to enrolled or revoked, enrolled
     * to revoked, and none from revoked. Staying in the same state is not a transition.
     */
    public Set<NodeState> nextStates() {
        switch (this) {
            case CREATED:
                return EnumSet.of(ENROLLED, REVOKED);
            case ENROLLED:
                return EnumSet.of(REVOKED);
            default:
                return EnumSet.noneOf(NodeState.class);
        }
    }

    public boolean canMoveTo(NodeState next) {
        return nextStates().contains(next);
    }
}
