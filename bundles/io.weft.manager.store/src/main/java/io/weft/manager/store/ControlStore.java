package io.weft.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Enrollment tokens, node certificates, revision counters and the control state of nodes.
 *
 * <p>Each method runs in its own transaction, or joins the caller's through
 * {@link StoreTransactions}. Node ids are the ids that {@link FleetStore#createNode} returns.
 * Database failures raise {@link StoreException}.
 */
@ProviderType
public interface ControlStore {

    /** Counter of desired-state revisions: every compiled change takes the next value. */
    String DESIRED_STATE_REVISION = "desired_state_revision";

    /** Counter of the CRL numbers that the CA issues. */
    String CRL_NUMBER = "crl_number";

    /** Maximum length of a stored rejection reason; longer reasons are cut. */
    int MAX_REASON_LENGTH = 1000;

    /**
     * Stores a new enrollment token with a new id.
     *
     * @throws NotFoundException if the node does not exist
     */
    StoredEnrollmentToken createEnrollmentToken(String nodeId, String secretSha256, String createdBy,
            Instant createdAt, Instant expiresAt);

    Optional<StoredEnrollmentToken> findEnrollmentTokenBySecret(String secretSha256);

    /** Lists a node's tokens, oldest first, used and expired ones included. */
    List<StoredEnrollmentToken> listEnrollmentTokens(String nodeId);

    /**
     * Marks the token used unless it is used already, and returns whether this call used it.
     * Of two enrollments with one token, exactly one succeeds.
     */
    boolean useEnrollmentToken(String id, Instant time);

    /**
     * Marks every unused token of the node as used at {@code time}, so that none of them can
     * enroll it any more; returns how many it cancelled.
     */
    int cancelEnrollmentTokens(String nodeId, Instant time);

    /** Stores a certificate that the CA issued. */
    void recordCertificate(NodeCertificate certificate);

    Optional<NodeCertificate> findCertificate(String serial);

    /** Lists a node's certificates, oldest first. */
    List<NodeCertificate> listCertificates(String nodeId);

    /** Revokes the node's certificates that are not revoked yet and returns them as revoked. */
    List<NodeCertificate> revokeCertificates(String nodeId, Instant time, String reason);

    /** Lists the revoked certificates that have not expired at {@code now}, by serial. */
    List<NodeCertificate> listRevokedCertificates(Instant now);

    /**
     * Increments a counter and returns its new value. The row stays locked until the
     * transaction ends, so concurrent callers get distinct, increasing values.
     *
     * @throws IllegalArgumentException for an unknown counter name
     */
    long nextValue(String counter);

    Optional<NodeControl> findNodeControl(String nodeId);

    /** Returns the control state of every node that has one, by node id. */
    Map<String, NodeControl> listNodeControl();

    /**
     * Records the desired state compiled for a node: its revision and content digest. The
     * applied revision and the node's reports stay.
     *
     * @throws NotFoundException if the node does not exist
     */
    NodeControl setDesiredState(String nodeId, long revision, String sha256, Instant time);

    /**
     * Records that the node applied a revision. A revision lower than the recorded one is
     * ignored, so a late acknowledgement never moves the applied revision back.
     *
     * @throws NotFoundException if the node has no desired state
     */
    void recordApplied(String nodeId, long revision, Instant time, String weftVersion);

    /**
     * Records why the node rejected a desired state, cut to {@value #MAX_REASON_LENGTH} characters.
     *
     * @throws NotFoundException if the node has no desired state
     */
    void recordRejection(String nodeId, String reason);

    /**
     * Records when the manager last heard from several nodes, in one transaction. A time older
     * than the stored one is ignored, and unknown node ids are skipped.
     */
    void recordLastSeen(Map<String, Instant> times);
}
