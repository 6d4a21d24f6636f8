package io.weft.manager.api.presence;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Service of the control plane that reports to the fleet API which nodes have an open control
 * session with this manager instance. Without the service the API shows every node offline.
 */
@ConsumerType
public interface NodePresence {

    /** Returns true when the node has an accepted control session with this manager. */
    boolean isOnline(String nodeId);

    /**
     * Returns when this manager last heard from the node, which may be newer than the time
     * in the store because the control plane writes it in batches.
     */
    Optional<Instant> lastSeen(String nodeId);
}
