package io.weft.node.agent.internal;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the node agent for {@code weft:status}. Values that do not apply are null.
 *
 * @param enrolled            whether the node has a stored identity
 * @param identityProblem     why the stored identity cannot be used, or null
 * @param nodeId              the node's id
 * @param nodeName            the node's full name
 * @param certificateSerial   the node certificate's serial, lower-case hexadecimal
 * @param certificateNotAfter when the node certificate expires
 * @param controlAddress      the manager's control address
 * @param connectedSince      when the current control session was accepted, null when disconnected
 * @param lastError           the last connection error, null while connected
 * @param nextRetryAt         when the next connection attempt starts, null when none is scheduled
 * @param desiredRevision     the revision of the last desired state received, 0 before the first
 * @param appliedRevision     the revision of the applied desired state, 0 before the first
 * @param skippedPids         configurations of the state that exist without Weft's owner mark
 */
public record NodeStatus(boolean enrolled, String identityProblem, String nodeId, String nodeName,
        String certificateSerial, Instant certificateNotAfter, String controlAddress, Instant connectedSince,
        String lastError, Instant nextRetryAt, long desiredRevision, long appliedRevision, List<String> skippedPids) {

    public NodeStatus {
        skippedPids = List.copyOf(skippedPids);
    }
}
