package io.weft.policy;

import io.weft.fleet.NodeFullName;
import io.weft.policy.internal.AttributeIndex;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subsets of a policy by node, as {@link Policy#compile} computes them for the desired state of
 * each node.
 */
public final class CompiledPolicy {

    private final Map<NodeFullName, List<PolicyRule>> rulesByNode;
    private final Map<NodeFullName, NodeSubject> subjects;
    private final AttributeIndex attributes;

    CompiledPolicy(Map<NodeFullName, List<PolicyRule>> rulesByNode, Map<NodeFullName, NodeSubject> subjects,
            AttributeIndex attributes) {
        this.rulesByNode = Collections.unmodifiableMap(rulesByNode);
        this.subjects = subjects;
        this.attributes = attributes;
    }

    /** Returns the compiled nodes, in the order given to {@link Policy#compile}. */
    public Set<NodeFullName> nodes() {
        return rulesByNode.keySet();
    }

    /**
     * Returns the rules that concern {@code node}: attached to its domain or an ancestor, from
     * the shallowest level down, in policy order within a level.
     *
     * @throws IllegalArgumentException when the node was not in the compiled fleet
     */
    public List<PolicyRule> rulesFor(NodeFullName node) {
        List<PolicyRule> rules = rulesByNode.get(node);
        if (rules == null) {
            throw new IllegalArgumentException("The node " + node + " was not in the fleet that the policy was"
                    + " compiled for. Compile again with the current fleet.");
        }
        return rules;
    }

    /**
     * Returns the policy of the rules that concern {@code node}.
     *
     * @throws IllegalArgumentException when the node was not in the compiled fleet
     */
    public Policy policyFor(NodeFullName node) {
        return Policy.of(rulesFor(node));
    }

    /**
     * Returns the peer directory of {@code node}: the node itself and the nodes of the compiled
     * fleet whose role, tags or cluster a rule of {@link #rulesFor} reads on the other end of
     * the node's flows, with the attributes that those rules read. A complete directory lets the
     * node's subset decide each flow of the node as this policy decides it for the compiled
     * fleet. Past {@value PeerDirectory#MAX_PEERS} entries the directory is truncated, and
     * {@link Policy#decide(Flow, PeerDirectory)} then denies a flow with an unlisted peer when a
     * rule could decide it by that peer's attributes. Not thread-safe.
     *
     * @throws IllegalArgumentException when the node was not in the compiled fleet
     */
    public PeerDirectory peersFor(NodeFullName node) {
        AttributeIndex.Peers peers = attributes.peersFor(subjects.get(node), rulesFor(node), PeerDirectory.MAX_PEERS);
        return PeerDirectory.of(peers.entries(), peers.complete());
    }

    /** Returns the sum of the subset sizes over all nodes. */
    public long totalRuleCount() {
        return rulesByNode.values().stream().mapToLong(List::size).sum();
    }
}
