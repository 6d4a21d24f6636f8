package io.weft.manager.pki.api;

import java.math.BigInteger;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that {@link ManagerPki} calls after it revoked certificates, so that the
 * control server closes the sessions of revoked nodes and desired states carry the serials.
 */
@ConsumerType
public interface RevocationListener {

    /**
     * Called after a node's certificates were revoked and the revocation list was published.
     *
     * @param nodeId  the node whose certificates were revoked
     * @param revoked the serials revoked now
     */
    void revoked(String nodeId, Set<BigInteger> revoked);
}
