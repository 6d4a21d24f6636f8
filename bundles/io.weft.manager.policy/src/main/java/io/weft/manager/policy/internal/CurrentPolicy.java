package io.weft.manager.policy.internal;

import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.policy.PolicyDocument;

/**
 * One committed version of the fleet's policy, read and parsed. The tree is shared between
 * threads, so callers copy it before they change it.
 *
 * @param version  the stored version, 0 for the policy that was never written
 * @param document the parsed document
 * @param tree     the stored form of the document as a JSON tree, rules and tests in document order
 */
record CurrentPolicy(long version, PolicyDocument document, ObjectNode tree) {

    CurrentPolicy {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(tree, "tree");
    }

    /** Returns the tree as it is stored, for responses and audit entries. */
    String json() {
        return PolicyJson.write(tree);
    }

    /** Returns a copy of the tree to edit. */
    ObjectNode editableTree() {
        return tree.deepCopy();
    }
}
