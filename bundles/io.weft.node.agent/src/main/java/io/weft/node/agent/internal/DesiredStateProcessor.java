package io.weft.node.agent.internal;

import io.weft.control.DesiredState;
import io.weft.control.StateAck;
import io.weft.control.state.DesiredStateDocument;
import io.weft.control.state.InvalidDesiredStateException;
import io.weft.control.state.AppDeployment;
import io.weft.node.agent.api.AppliedState;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.pki.DocumentVerifier;
import io.weft.pki.KeyPurpose;
import io.weft.pki.PkiException;
import io.weft.pki.TrustVerifier;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies, applies and stores the desired states that the manager signs. A state is applied
 * only when its envelope verifies against the Weft root CA for state signing, it is for this
 * node, and its revision is not lower than the applied one (rollback protection). A state with
 * the applied revision is acknowledged without applying it again.
 *
 * <p>Calls come from the agent's single thread. The accessors may be called from any thread.
 */
final class DesiredStateProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredStateProcessor.class);

    /** Revision, revoked serials, policy, apps, skipped PIDs and signer certificate of the last applied state. */
    private record Applied(long revision, Set<BigInteger> revokedSerials, String policyJson,
            List<AppDeployment> deployments, PeerDirectory peers, SortedSet<String> skippedPids,
            X509Certificate signer) {
        static final Applied NONE = new Applied(0, Set.of(), "{}", List.of(), PeerDirectory.empty(),
                Collections.emptySortedSet(), null);
    }

    /** A desired state whose signature was verified, with the certificate that signed it. */
    private record SignedState(DesiredStateDocument document, X509Certificate signer) {
    }

    /** A state that must not be applied, with the reason that goes into the STATE_ACK. */
    private static final class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedException(String reason) {
            super(reason);
        }
    }

    private final StateStore store;
    private final StateApplier applier;
    private final Clock clock;
    private volatile Applied applied = Applied.NONE;
    private volatile long lastReceivedRevision;

    DesiredStateProcessor(StateStore store, StateApplier applier, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    long appliedRevision() {
        return applied.revision();
    }

    /** Returns the revision of the last DESIRED_STATE received from the manager, 0 before the first. */
    long lastReceivedRevision() {
        return lastReceivedRevision;
    }

    /** Returns the revoked certificate serials of the applied state, which the control connection's trust checks. */
    Set<BigInteger> revokedSerials() {
        return applied.revokedSerials();
    }

    /** Returns revision, revoked serials and policy of the applied state, for the node state API. */
    AppliedState appliedState() {
        Applied current = applied;
        return new AppliedState(current.revision(), current.revokedSerials(), current.policyJson(),
                current.deployments(), current.peers(), Optional.ofNullable(current.signer()));
    }

    SortedSet<String> skippedPids() {
        return applied.skippedPids();
    }

    /**
     * Verifies and applies the stored state, so that a node restarted while the manager is
     * unreachable keeps serving its last state. A stored state that fails verification is
     * logged and left in place, and the node starts with no applied revision.
     */
    void restore(NodeIdentity identity) {
        Optional<byte[]> envelope;
        try {
            envelope = store.load();
        } catch (IOException e) {
            LOG.error("Desired state: reading the stored state {} failed, so none is applied: {}", store.file(),
                    e.getMessage());
            return;
        }
        if (envelope.isEmpty()) {
            LOG.info("Desired state: none stored yet for node '{}'", identity.record().nodeId());
            return;
        }
        try {
            SignedState signed = verify(identity, envelope.get());
            applyAndRecord(signed, null);
            LOG.info("Desired state: applied the stored revision {} for node '{}'", signed.document().revision(),
                    identity.record().nodeId());
        } catch (RejectedException e) {
            // NOTE: a stored state whose signer certificate expired while the node was off is
            // rejected here too, so such a node serves no state until the manager sends one.
            LOG.error("Desired state: the stored state {} is rejected, so none is applied until the manager"
                    + " sends one: {}", store.file(), e.getMessage());
        }
    }

    /** Handles a DESIRED_STATE from the manager and returns the STATE_ACK to send. */
    StateAck receive(NodeIdentity identity, DesiredState message) {
        long revision = message.revision();
        lastReceivedRevision = revision;
        try {
            SignedState signed = verify(identity, message.envelope());
            DesiredStateDocument document = signed.document();
            requireRevision(document, revision);
            if (document.revision() == applied.revision()) {
                LOG.debug("Desired state: revision {} is already applied", revision);
                return StateAck.applied(revision);
            }
            applyAndRecord(signed, message.envelope());
            LOG.info("Desired state: applied revision {} for node '{}'", revision, identity.record().nodeId());
            return StateAck.applied(revision);
        } catch (RejectedException e) {
            LOG.warn("Desired state: rejected revision {} for node '{}': {}", revision, identity.record().nodeId(),
                    e.getMessage());
            return StateAck.rejected(revision, e.getMessage());
        }
    }

    /** Forgets the applied state and deletes the stored one, for a node that enrolled under another node id. */
    void discard() throws IOException {
        store.delete();
        applied = Applied.NONE;
    }

    private SignedState verify(NodeIdentity identity, byte[] envelope) throws RejectedException {
        TrustVerifier trust = new TrustVerifier(identity.root(), this::revokedSerials, clock);
        DocumentVerifier.VerifiedDocument verified;
        try {
            verified = new DocumentVerifier(trust, KeyPurpose.STATE_SIGNING).verify(envelope);
        } catch (PkiException e) {
            throw new RejectedException("the signature is invalid: " + e.getMessage());
        }
        DesiredStateDocument document;
        try {
            document = DesiredStateDocument.parse(verified.payload());
        } catch (InvalidDesiredStateException e) {
            throw new RejectedException(e.getMessage());
        }
        if (!document.nodeId().equals(identity.record().nodeId())) {
            throw new RejectedException("the state is for node '" + document.nodeId() + "', not for this node '"
                    + identity.record().nodeId() + "'");
        }
        return new SignedState(document, verified.signer());
    }

    private void requireRevision(DesiredStateDocument document, long frameRevision) throws RejectedException {
        if (document.revision() != frameRevision) {
            throw new RejectedException("the signed revision " + document.revision()
                    + " differs from the revision " + frameRevision + " of the message");
        }
        long appliedRevision = applied.revision();
        if (document.revision() < appliedRevision) {
            throw new RejectedException("revision " + document.revision() + " is lower than the applied revision "
                    + appliedRevision + ", and the node never goes back to an older state");
        }
    }

    /** Applies the document, then stores {@code envelope} unless it is null (a restored state is stored already). */
    private void applyAndRecord(SignedState signed, byte[] envelope) throws RejectedException {
        DesiredStateDocument document = signed.document();
        ApplyResult result;
        try {
            result = applier.apply(document);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("applying the configurations failed: " + e.getMessage());
        }
        if (envelope != null) {
            try {
                store.save(envelope);
            } catch (IOException e) {
                throw new RejectedException("storing the state in " + store.file() + " failed: " + e.getMessage());
            }
        }
        Set<BigInteger> revoked = document.revokedSerials().stream()
                .map(serial -> new BigInteger(serial, 16))
                .collect(Collectors.toUnmodifiableSet());
        applied = new Applied(document.revision(), revoked, document.policy().toString(), document.deployments(),
                peerDirectory(document), new TreeSet<>(result.skippedPids()), signed.signer());
        LOG.debug("Desired state: revision {} created {}, updated {}, deleted {} and left {} configurations"
                + " unchanged", document.revision(), result.created(), result.updated(), result.deleted(),
                result.unchanged());
    }

    private static PeerDirectory peerDirectory(DesiredStateDocument document) {
        return PeerDirectory.of(document.peers().stream()
                .map(peer -> new NodeSubject(peer.name(), peer.role(), peer.tags(), peer.cluster()))
                .toList(), document.peersComplete());
    }
}
