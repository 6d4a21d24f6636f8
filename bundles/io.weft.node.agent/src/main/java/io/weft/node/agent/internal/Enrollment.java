package io.weft.node.agent.internal;

/** Enrolls this node with the manager, the service behind {@code weft:enroll}. */
public interface Enrollment {

    /**
     * Enrolls with an enrollment token: generates a new key pair, sends a certification
     * request to the manager that the token names, verifies and stores the returned chain, and
     * (re)starts the control connection. Enrolling a node that has an identity replaces its key
     * and certificate and keeps its stored desired state.
     *
     * @throws EnrollmentException with a message for the operator
     */
    EnrollmentResult enroll(String token) throws EnrollmentException;
}
