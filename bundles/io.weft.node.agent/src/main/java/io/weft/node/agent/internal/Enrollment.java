package io.weft.node.agent.internal;

/** Enrolls this node with the manager, the service behind {@code weft:enroll}. */
public interface Enrollment {

    /**
     * Enrolls with an enrollment token: generates a new key pair, sends a certification
     * request to the manager that the token names, verifies and stores the returned chain, and
     * (re)starts the control connection. Enrolling again as the node's own node id replaces its
     * key and certificate and keeps its stored desired state.
     *
     * <p>A token for another node id than the node's own is rejected before the manager is
     * contacted, unless {@code replaceIdentity} is set: then the node takes the token's node
     * id and discards its stored desired state.
     *
     * @param replaceIdentity whether a node enrolled as another node id may become the token's node
     * @throws EnrollmentException with a message for the operator
     */
    EnrollmentResult enroll(String token, boolean replaceIdentity) throws EnrollmentException;
}
