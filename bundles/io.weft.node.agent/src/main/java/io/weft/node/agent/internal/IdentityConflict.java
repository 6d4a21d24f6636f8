package io.weft.node.agent.internal;

import java.util.Optional;

/**
 * The check that keeps {@code weft:enroll} from silently turning an enrolled node into another
 * node record. Enrolling again as the node's own node id is the way back after an expired or
 * revoked certificate and always passes. A token for another node id passes only
 * with {@code --force}, because the node then drops its identity and its stored desired state,
 * and the manager's record of the old node would stay enrolled with a valid certificate.
 */
final class IdentityConflict {

    private IdentityConflict() {
    }

    /**
     * Rejects an enrollment for {@code tokenNodeId} when the node is enrolled as another node id
     * and {@code replaceIdentity} is not set.
     *
     * @param enrolled          the node's identity record, empty when the node is not enrolled
     * @param certificateIssued whether the manager has already issued the certificate, which
     *                          happens only when the node was enrolled while the request ran
     * @throws EnrollmentException, not retryable, naming both node ids and the way out
     */
    static void check(Optional<IdentityRecord> enrolled, String tokenNodeId, boolean replaceIdentity,
            boolean certificateIssued) throws EnrollmentException {
        if (enrolled.isEmpty() || replaceIdentity || enrolled.get().nodeId().equals(tokenNodeId)) {
            return;
        }
        IdentityRecord current = enrolled.get();
        if (certificateIssued) {
            throw new EnrollmentException("This node was enrolled as node '" + current.nodeName() + "' (id "
                    + current.nodeId() + ") while the enrollment for node id " + tokenNodeId + " ran, so it keeps"
                    + " that identity and did not store the certificate that the manager issued. That token is used,"
                    + " so create a new one for node id " + tokenNodeId + ". "
                    + replaceHint(current), false);
        }
        throw new EnrollmentException("This node is enrolled as node '" + current.nodeName() + "' (id "
                + current.nodeId() + "), but the token is for another node record, id " + tokenNodeId + ". Nothing"
                + " was changed, and the token was not sent to the manager. To enroll this node again, use a token"
                + " of '" + current.nodeName() + "'. " + replaceHint(current), false);
    }

    private static String replaceHint(IdentityRecord current) {
        String name = current.nodeName();
        return "To make this machine the other node, first revoke or delete '" + name + "' on the manager"
                + " (weft:node-revoke " + name + ", or DELETE /api/v1/nodes/" + name + "), so that its certificate"
                + " stops being valid. Then run weft:enroll --force <token>, which replaces this node's identity and"
                + " discards its stored desired state, so the node runs the connectors and apps of the new record"
                + " only.";
    }
}
