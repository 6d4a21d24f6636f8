package io.weft.manager.control.internal;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.weft.fleet.DomainName;
import io.weft.manager.store.Node;
import io.weft.policy.PeerDirectory;

/**
 * Source of the policy rules that concern each node, and of the attributes of the peers that
 * those rules read, for the desired state compiler. A compilation starts one {@link Run} for
 * its nodes, so the policy is compiled once per run.
 */
@FunctionalInterface
interface PolicySource {

    /** A source that gives every node the empty policy {@code {}} and an empty peer directory. */
    PolicySource NONE = (nodes, fleet) -> node -> JsonNodeFactory.instance.objectNode();

    /**
     * Compiles the policy for the nodes of one compilation.
     *
     * @param fleet returns every node of the fleet with its current attributes; called at most
     *              once, and only when a rule reads attributes
     */
    Run start(List<Node> nodes, Supplier<List<Node>> fleet);

    /**
     * Returns the attachment domains of the rules that select nodes by tag, cluster or role:
     * the states that a change of a node's attributes can change are those of the nodes in
     * these domains that contain the changed node.
     */
    default Set<DomainName> attributeRuleDomains() {
        return Set.of();
    }

    /** The policies of the nodes of one compilation. */
    @FunctionalInterface
    interface Run {

        /**
         * Returns the policy document with the rules that concern the node, a JSON object. It
         * is called on the compile worker for every node of the run, so it must be cheap.
         */
        JsonNode policyFor(Node node);

        /** Returns the node's peer directory: the attributes of the nodes that its rules read. */
        default PeerDirectory peersFor(Node node) {
            return PeerDirectory.empty();
        }
    }
}
