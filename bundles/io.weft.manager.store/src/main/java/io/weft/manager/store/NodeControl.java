package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the manager compiled for a node and what the node last reported over the control
 * channel.
 *
 * @param desiredRevision revision of the node's current desired state
 * @param desiredSha256   SHA-256 of that state's content, so that an unchanged state keeps its revision
 * @param appliedRevision the revision that the node last acknowledged as applied, 0 for none
 * @param appliedAt       when the node acknowledged it
 * @param lastRejection   why the node last rejected a state, empty when it applied the last one
 * @param weftVersion     the Weft version that the node last reported
 */
public record NodeControl(String nodeId, long desiredRevision, String desiredSha256, Instant desiredAt,
        long appliedRevision, Optional<Instant> appliedAt, Optional<String> lastRejection, Optional<String> weftVersion) {

    public NodeControl {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(desiredSha256, "desiredSha256");
        Objects.requireNonNull(desiredAt, "desiredAt");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(lastRejection, "lastRejection");
        Objects.requireNonNull(weftVersion, "weftVersion");
    }
}
