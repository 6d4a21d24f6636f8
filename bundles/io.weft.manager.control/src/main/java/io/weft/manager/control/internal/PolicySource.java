package io.weft.manager.control.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.weft.manager.store.Node;

/**
 * Source of the policy rules that concern each node, for the desired state compiler. A
 * compilation starts one {@link Run} for its nodes, so the policy is compiled once per run.
 */
@FunctionalInterface
interface PolicySource {

    /** A source that gives every node the empty policy {@code {}}. */
    PolicySource NONE = nodes -> node -> JsonNodeFactory.instance.objectNode();

    /** Compiles the policy for the nodes of one compilation. */
    Run start(List<Node> nodes);

    /** The policies of the nodes of one compilation. */
    @FunctionalInterface
    interface Run {

        /**
         * Returns the policy document with the rules that concern the node, a JSON object. It
         * is called on the compile worker for every node of the run, so it must be cheap.
         */
        JsonNode policyFor(Node node);
    }
}
