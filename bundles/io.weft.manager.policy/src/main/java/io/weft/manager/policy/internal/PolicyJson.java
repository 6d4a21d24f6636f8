package io.weft.manager.policy.internal;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.policy.PolicyDocument;

/**
 * The JSON trees of policy documents. The stored form of a document is the compact JSON of
 * what {@link PolicyDocument#toJson()} writes, so rules and tests appear in document order
 * with optional fields at their defaults left out.
 */
final class PolicyJson {

    static final String RULES = "rules";
    static final String TESTS = "tests";
    static final String ID = "id";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyJson() {
    }

    /** Returns the stored form of a document. */
    static String canonical(PolicyDocument document) {
        return write(read(document.toJson()));
    }

    /** Reads JSON that the manager wrote, such as a stored document. */
    static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Failed to read a policy document that the manager wrote", e);
        }
    }

    static String write(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write a JSON tree", e);
        }
    }

    static ArrayNode rules(ObjectNode document) {
        return (ArrayNode) document.get(RULES);
    }

    /** Returns the tests of a stored document, an empty array when it has none. */
    static ArrayNode tests(ObjectNode document) {
        JsonNode tests = document.get(TESTS);
        return tests instanceof ArrayNode array ? array : MAPPER.createArrayNode();
    }

    /** Returns the index of the rule with the id, or -1. */
    static int indexOf(ArrayNode rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (id.equals(rules.get(i).path(ID).asText(null))) {
                return i;
            }
        }
        return -1;
    }

    static Optional<ObjectNode> rule(ObjectNode document, String id) {
        ArrayNode rules = rules(document);
        int index = indexOf(rules, id);
        return index < 0 ? Optional.empty() : Optional.of((ObjectNode) rules.get(index));
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }
}
