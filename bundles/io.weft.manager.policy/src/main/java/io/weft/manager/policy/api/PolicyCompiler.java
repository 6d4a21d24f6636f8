package io.weft.manager.policy.api;

import java.util.Collection;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.weft.fleet.DomainName;
import io.weft.policy.NodeSubject;

/**
 * Compiles the fleet's stored policy into the rule subset of each node, for the node's desired
 * state. A node's subset contains the rules that can match a flow in which the node is the
 * source or the destination, so the node decides those flows locally exactly as the whole
 * policy would.
 */
@ProviderType
public interface PolicyCompiler {

    /**
     * Returns the version of the stored policy: 0 before the first write, then incremented by
     * every change. Managers that share one database learn of each other's changes by
     * comparing it with the version of their last compilation.
     */
    long currentVersion();

    /**
     * Compiles the stored policy for the given nodes, whose names, roles, tags and clusters
     * must be the current ones of the fleet.
     *
     * @throws io.weft.policy.InvalidPolicyException with field {@code nodes} when two nodes
     *         have the same name
     */
    NodePolicies compile(Collection<NodeSubject> nodes);

    /**
     * Compiles the stored policy for {@code nodes}, with peer directories drawn from
     * {@code fleet}, which must contain every node of the fleet with its current name, role,
     * tags and cluster.
     *
     * @throws io.weft.policy.InvalidPolicyException with field {@code nodes} when two nodes
     *         have the same name
     */
    NodePolicies compile(Collection<NodeSubject> nodes, Collection<NodeSubject> fleet);

    /**
     * Returns the attachment domains of the stored rules that select nodes by tag, cluster or
     * role. A change of a node's attributes can change the states of the nodes in those of
     * these domains that contain the changed node, and of no other node.
     */
    Set<DomainName> attributeRuleDomains();
}
