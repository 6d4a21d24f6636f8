package io.weft.manager.apps.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The latest app report of each node, in memory. Nodes send their report with every status,
 * including right after they connect, so a manager restart loses nothing for long.
 */
final class NodeReports {

    /** A node's report about one app. */
    record AppReport(String deploymentId, String version, String state, String error) {

        static final String INSTALLED = "installed";
        static final String FAILED = "failed";
        static final String ROLLED_BACK = "rolled-back";

        boolean failed() {
            return FAILED.equals(state) || ROLLED_BACK.equals(state);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, AppReport>> byNode = new ConcurrentHashMap<>();

    /**
     * Replaces a node's reports with those of its JSON object, keyed by app name.
     *
     * @throws IllegalArgumentException when the JSON is malformed
     */
    void update(String nodeId, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the app report is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the app report is not a JSON object");
        }
        Map<String, AppReport> reports = new ConcurrentHashMap<>();
        root.fields().forEachRemaining(entry -> reports.put(entry.getKey(), report(entry.getValue())));
        byNode.put(nodeId, reports);
    }

    Optional<AppReport> of(String nodeId, String app) {
        return Optional.ofNullable(byNode.getOrDefault(nodeId, Map.of()).get(app));
    }

    private static AppReport report(JsonNode node) {
        return new AppReport(text(node, "deploymentId"), text(node, "version"), text(node, "state"),
                text(node, "error"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
