package io.weft.manager.policy.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.weft.fleet.NodeFullName;
import io.weft.policy.CompiledPolicy;
import io.weft.policy.PeerDirectory;
import io.weft.policy.PolicyRule;

/**
 * Rule subsets of the stored policy by node.
 *
 * @param policyVersion the version of the policy that was compiled
 * @param compiled      each compiled node's subset
 */
public record NodePolicies(long policyVersion, CompiledPolicy compiled) {

    public NodePolicies {
        Objects.requireNonNull(compiled, "compiled");
    }

    /** Returns the compiled nodes, in the order given to {@link PolicyCompiler#compile}. */
    public Set<NodeFullName> nodes() {
        return compiled.nodes();
    }

    /**
     * Returns the rules that concern {@code node}, from the shallowest attachment level down.
     *
     * @throws IllegalArgumentException when the node was not compiled
     */
    public List<PolicyRule> rulesFor(NodeFullName node) {
        return compiled.rulesFor(node);
    }

    /**
     * Returns the peer directory of {@code node}, with the attributes of the nodes that its
     * rules read.
     *
     * @throws IllegalArgumentException when the node was not compiled
     */
    public PeerDirectory peersFor(NodeFullName node) {
        return compiled.peersFor(node);
    }
}
