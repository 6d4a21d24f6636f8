package io.weft.node.mesh.internal;

import io.weft.node.agent.api.AppliedState;
import io.weft.policy.Decision;
import io.weft.policy.Flow;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.PeerDirectory;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;
import io.weft.policy.ServiceTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's policy rules from its applied state, deciding on mesh streams. A document that
 * cannot be read leaves no rules, so every stream is denied.
 *
 * <p>Both ends of a flow are evaluated with the role, tags and cluster of the state's peer
 * directory, which the manager signed, never with attributes that a peer claims. The role
 * comes from the manager's node record, not from the gateway list of this node's mesh settings.
 */
final class StreamPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPolicy.class);

    private final Policy policy;
    private final PeerDirectory peers;
    private final long revision;

    private StreamPolicy(Policy policy, PeerDirectory peers, long revision) {
        this.policy = policy;
        this.peers = peers;
        this.revision = revision;
    }

    static StreamPolicy denyAll() {
        return new StreamPolicy(Policy.empty(), PeerDirectory.empty(), 0);
    }

    static StreamPolicy of(AppliedState state) {
        if (state.hasNoPolicy()) {
            return new StreamPolicy(Policy.empty(), state.peers(), state.revision());
        }
        try {
            return new StreamPolicy(PolicyDocument.parse(state.policyJson()).policy(), state.peers(),
                    state.revision());
        } catch (InvalidPolicyException e) {
            LOG.error("Mesh policy: the policy of state revision {} is invalid, so every stream is denied: {}",
                    state.revision(), e.getMessage());
            return new StreamPolicy(Policy.empty(), state.peers(), state.revision());
        }
    }

    long revision() {
        return revision;
    }

    /** Decides whether {@code source} may reach {@code service} on TCP {@code port} of {@code destination}. */
    Decision decide(String source, String destination, String service, int port) {
        Flow flow = new Flow(peers.subjectOf(source), peers.subjectOf(destination), ServiceTarget.tcp(service, port));
        return policy.decide(flow, peers);
    }
}
