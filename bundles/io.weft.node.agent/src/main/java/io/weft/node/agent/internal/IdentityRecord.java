package io.weft.node.agent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.pki.Fingerprint;
import io.weft.pki.PkiException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A node's stored facts about itself and its manager, besides key and certificates: its id
 * and full name, the manager's control address and enrollment URL, and the SHA-256 fingerprint of
 * the Weft root CA.
 *
 * @param nodeId          the id that the certificate's URI {@code urn:weft:node:<id>} carries
 * @param nodeName        the node's full name, such as {@code n1.plant1.acme.example}
 * @param controlAddress  the manager's control address as {@code host:port}
 * @param enrollmentUrl   the manager's enrollment endpoint
 * @param rootFingerprint the fingerprint of the Weft root CA certificate
 */
record IdentityRecord(String nodeId, String nodeName, String controlAddress, URI enrollmentUrl,
        Fingerprint rootFingerprint) {

    private static final ObjectMapper JSON = new ObjectMapper();

    IdentityRecord {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(controlAddress, "controlAddress");
        Objects.requireNonNull(enrollmentUrl, "enrollmentUrl");
        Objects.requireNonNull(rootFingerprint, "rootFingerprint");
        requireHostAndPort(controlAddress);
    }

    byte[] toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("nodeId", nodeId);
        json.put("nodeName", nodeName);
        json.put("controlAddress", controlAddress);
        json.put("enrollmentUrl", enrollmentUrl.toString());
        json.put("rootFingerprint", rootFingerprint.toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the identity record as JSON failed", e);
        }
    }

    /**
     * Parses the form that {@link #toJson} writes.
     *
     * @throws IllegalArgumentException naming the missing or invalid member
     */
    static IdentityRecord parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("it is not valid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        try {
            return new IdentityRecord(text(root, "nodeId"), text(root, "nodeName"), text(root, "controlAddress"),
                    URI.create(text(root, "enrollmentUrl")), Fingerprint.parse(text(root, "rootFingerprint")));
        } catch (PkiException e) {
            throw new IllegalArgumentException("its rootFingerprint is invalid: " + e.getMessage(), e);
        }
    }

    /** Returns the host of the control address, without the brackets of an IPv6 literal. */
    String controlHost() {
        String host = controlAddress.substring(0, controlAddress.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    int controlPort() {
        return Integer.parseInt(controlAddress.substring(controlAddress.lastIndexOf(':') + 1));
    }

    private static void requireHostAndPort(String address) {
        int colon = address.lastIndexOf(':');
        String port = colon < 1 ? "" : address.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("the control address '" + address
                    + "' is not host:port with a port from 1 to 65535");
        }
    }

    private static String text(JsonNode root, String member) {
        JsonNode value = root.get(member);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("its member " + member + " is missing or not a non-empty string");
        }
        return value.textValue();
    }
}
