package io.weft.node.agent.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.node.agent.internal.NodeStatus;
import java.time.Instant;

/** The JSON form of {@code weft:status --json}: the members of {@link NodeStatus}, times as ISO-8601 text or null. */
final class StatusJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    static String write(NodeStatus status) {
        ObjectNode root = JSON.createObjectNode();
        root.put("enrolled", status.enrolled());
        root.put("identityProblem", status.identityProblem());
        root.put("nodeId", status.nodeId());
        root.put("nodeName", status.nodeName());
        root.put("certificateSerial", status.certificateSerial());
        root.put("certificateNotAfter", text(status.certificateNotAfter()));
        root.put("controlAddress", status.controlAddress());
        root.put("connected", status.connectedSince() != null);
        root.put("connectedSince", text(status.connectedSince()));
        root.put("lastError", status.lastError());
        root.put("nextRetryAt", text(status.nextRetryAt()));
        root.put("desiredRevision", status.desiredRevision());
        root.put("appliedRevision", status.appliedRevision());
        ArrayNode skipped = root.putArray("skippedPids");
        status.skippedPids().forEach(skipped::add);
        return root.toString();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
