package io.weft.manager.store;

/** Enrollment state of a node. */
public enum NodeState {
    /** Created by an operator; the node has not enrolled yet. */
    CREATED,
    /** The node enrolled and has a certificate. */
    ENROLLED,
    /** The node's certificates are revoked. */
    REVOKED
}
