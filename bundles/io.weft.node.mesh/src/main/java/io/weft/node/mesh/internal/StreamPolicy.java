package io.weft.node.mesh.internal;

import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.node.agent.api.AppliedState;
import io.weft.policy.Decision;
import io.weft.policy.Flow;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.NodeSubject;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;
import io.weft.policy.ServiceTarget;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's policy rules from its applied state, deciding on mesh streams. A document that
 * cannot be read leaves no rules, so every stream is denied.
 *
 * <p>NOTE: the desired state carries the names of other nodes but not their tags or clusters,
 * so a node treats every node as without tags or cluster, and with the role gateway only for the
 * gateways of its own configuration. Rules that select by tag or cluster match no node here:
 * an allow rule of that kind denies at both ends, and a deny rule of that kind is not
 * enforced by the nodes.
 */
final class StreamPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPolicy.class);

    private final Policy policy;
    private final long revision;

    private StreamPolicy(Policy policy, long revision) {
        this.policy = policy;
        this.revision = revision;
    }

    static StreamPolicy denyAll() {
        return new StreamPolicy(Policy.empty(), 0);
    }

    static StreamPolicy of(AppliedState state) {
        if (state.hasNoPolicy()) {
            return new StreamPolicy(Policy.empty(), state.revision());
        }
        try {
            return new StreamPolicy(PolicyDocument.parse(state.policyJson()).policy(), state.revision());
        } catch (InvalidPolicyException e) {
            LOG.error("Mesh policy: the policy of state revision {} is invalid, so every stream is denied: {}",
                    state.revision(), e.getMessage());
            return new StreamPolicy(Policy.empty(), state.revision());
        }
    }

    long revision() {
        return revision;
    }

    /**
     * Decides whether {@code source} may reach {@code service} on TCP {@code port} of
     * {@code destination}; {@code isGateway} returns true for the node names with the role gateway.
     */
    Decision decide(String source, String destination, String service, int port, Predicate<String> isGateway) {
        Flow flow = new Flow(subject(source, isGateway), subject(destination, isGateway),
                ServiceTarget.tcp(service, port));
        return policy.decide(flow);
    }

    private static NodeSubject subject(String fullName, Predicate<String> isGateway) {
        NodeRole role = isGateway.test(fullName) ? NodeRole.GATEWAY : NodeRole.EDGE;
        return new NodeSubject(NodeFullName.parse(fullName), role, Set.of(), Optional.empty());
    }
}
