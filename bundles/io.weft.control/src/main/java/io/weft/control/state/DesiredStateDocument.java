package io.weft.control.state;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.ProfileValue;

/**
 * Everything a node must apply, as the manager compiles it: the configurations of the node's
 * effective profile, the serial numbers of revoked certificates, the rules of the policy
 * that concern the node, the attributes of the peers that those rules read, and the apps it
 * must run. The manager signs its JSON form; the node verifies the signature before it parses
 * the document.
 *
 * <p>The JSON form is canonical: members in a fixed order, PIDs, keys and serials sorted,
 * peers sorted by full name and deployments sorted by app name, so equal documents have equal
 * bytes.
 * {@link #contentSha256()} covers everything but the revision and the issue time, so the
 * manager keeps the revision of a node whose content did not change.
 *
 * @param nodeId         the node's id, which its certificate carries
 * @param nodeName       the node's full name, such as {@code gw1.east.acme.example}
 * @param revision       increases with every change, and a node rejects a revision lower than its own
 * @param configurations PID to key to typed value, the node's effective profile
 * @param revokedSerials revoked certificate serials as lower-case hex, without leading zeros
 * @param policy         the policy document with the rules that concern the node, or an empty
 *                       object before the manager has a policy
 * @param deployments    the apps that the node must run, sorted by app name, at most one per app
 * @param peers          the peer directory: the node itself and the nodes whose role, tags or
 *                       cluster the policy's rules read, sorted by full name, one entry per node
 * @param peersComplete  false when the manager left out nodes that the rules read, so that the
 *                       node denies a flow with an unlisted peer that such a rule could decide
 */
public record DesiredStateDocument(String nodeId, String nodeName, long revision, Instant issuedAt,
        Map<String, Map<String, ProfileValue>> configurations, Set<String> revokedSerials, JsonNode policy,
        List<AppDeployment> deployments, List<PeerAttributes> peers, boolean peersComplete) {

    /**
     * Version of the JSON form; a node rejects a document of another version. Version 2
     * added the peer directory.
     */
    public static final int FORMAT = 2;

    /** Largest document, in bytes, that {@link #parse} reads. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private static final Set<String> MEMBERS = Set.of("format", "nodeId", "nodeName", "revision", "issuedAt",
            "configurations", "revokedSerials", "policy", "deployments", "peers", "peersComplete");
    private static final Set<String> DEPLOYMENT_MEMBERS = Set.of("deploymentId", "app", "version", "sha256", "size",
            "signature");

    public DesiredStateDocument {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(policy, "policy");
        if (revision < 1) {
            throw new IllegalArgumentException("Invalid revision " + revision + ": revisions start at 1");
        }
        configurations = copy(configurations);
        revokedSerials = Collections.unmodifiableSet(new TreeSet<>(revokedSerials));
        revokedSerials.forEach(DesiredStateDocument::requireSerial);
        policy = policy.deepCopy();
        deployments = sortedByApp(deployments);
        peers = PeerDirectoryJson.sortedByName(peers);
    }

    /** Creates a document without app deployments and without a peer directory. */
    public DesiredStateDocument(String nodeId, String nodeName, long revision, Instant issuedAt,
            Map<String, Map<String, ProfileValue>> configurations, Set<String> revokedSerials, JsonNode policy) {
        this(nodeId, nodeName, revision, issuedAt, configurations, revokedSerials, policy, List.of());
    }

    /** Creates a document without a peer directory. */
    public DesiredStateDocument(String nodeId, String nodeName, long revision, Instant issuedAt,
            Map<String, Map<String, ProfileValue>> configurations, Set<String> revokedSerials, JsonNode policy,
            List<AppDeployment> deployments) {
        this(nodeId, nodeName, revision, issuedAt, configurations, revokedSerials, policy, deployments, List.of(),
                true);
    }

    /** Returns the same content with another revision and issue time. */
    public DesiredStateDocument withRevision(long newRevision, Instant time) {
        return new DesiredStateDocument(nodeId, nodeName, newRevision, time, configurations, revokedSerials, policy,
                deployments, peers, peersComplete);
    }

    /** Returns the same document with other deployments. */
    public DesiredStateDocument withDeployments(List<AppDeployment> newDeployments) {
        return new DesiredStateDocument(nodeId, nodeName, revision, issuedAt, configurations, revokedSerials, policy,
                newDeployments, peers, peersComplete);
    }

    /** Returns the same document with another peer directory. */
    public DesiredStateDocument withPeers(List<PeerAttributes> newPeers, boolean complete) {
        return new DesiredStateDocument(nodeId, nodeName, revision, issuedAt, configurations, revokedSerials, policy,
                deployments, newPeers, complete);
    }

    /** Returns the canonical JSON form as UTF-8. */
    public byte[] toJson() {
        return write(tree(true));
    }

    /** Returns the SHA-256 of the content without revision and issue time, as 64 hex digits. */
    public String contentSha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(write(tree(false)));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /**
     * Parses the JSON form strictly: unknown or missing members, another format version,
     * duplicate keys and invalid values are errors.
     *
     * @throws InvalidDesiredStateException naming the member and the rule
     */
    public static DesiredStateDocument parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new InvalidDesiredStateException("(document)", "the document has " + json.length
                    + " bytes, more than the maximum of " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException parsing ? parsing.getOriginalMessage() : e.getMessage();
            throw new InvalidDesiredStateException("(document)", "not valid JSON: " + reason);
        }
        return fromTree(root);
    }

    private static DesiredStateDocument fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidDesiredStateException("(document)", "expected a JSON object");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new InvalidDesiredStateException(name, "unknown member; expected " + new TreeSet<>(MEMBERS));
            }
        });
        long format = integer(root, "format");
        if (format != FORMAT) {
            throw new InvalidDesiredStateException("format", "version " + format + " is not supported; this node"
                    + " reads version " + FORMAT + ", so update the node to the manager's Weft version");
        }

        try {
            return new DesiredStateDocument(text(root, "nodeId"), text(root, "nodeName"), integer(root, "revision"),
                    instant(root, "issuedAt"), configurations(member(root, "configurations")),
                    serials(member(root, "revokedSerials")), object(root, "policy"),
                    deployments(member(root, "deployments")), PeerDirectoryJson.read(member(root, "peers")),
                    bool(root, "peersComplete"));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidDesiredStateException invalid) {
                throw invalid;
            }
            throw new InvalidDesiredStateException("(document)", e.getMessage());
        }
    }

    private ObjectNode tree(boolean withRevision) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("nodeId", nodeId);
        root.put("nodeName", nodeName);
        if (withRevision) {
            root.put("revision", revision);
            root.put("issuedAt", issuedAt.toString());
        }

        ObjectNode pids = root.putObject("configurations");
        configurations.forEach((pid, properties) -> {
            ObjectNode keys = pids.putObject(pid);
            properties.forEach((key, value) -> {
                ObjectNode entry = keys.putObject(key);
                entry.put("type", value.type().id());
                entry.set("value", MAPPER.valueToTree(value.toConfigurationValue()));
            });
        });

        ArrayNode serials = root.putArray("revokedSerials");
        revokedSerials.forEach(serials::add);
        root.set("policy", policy);

        ArrayNode apps = root.putArray("deployments");
        for (AppDeployment deployment : deployments) {
            ObjectNode entry = apps.addObject();
            entry.put("deploymentId", deployment.deploymentId());
            entry.put("app", deployment.app());
            entry.put("version", deployment.version());
            entry.put("sha256", deployment.sha256());
            entry.put("size", deployment.size());
            entry.put("signature", deployment.signature());
        }
        root.set("peers", PeerDirectoryJson.write(peers));
        root.put("peersComplete", peersComplete);
        return root;
    }

    private static byte[] write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write a desired state as JSON", e);
        }
    }

    private static Map<String, Map<String, ProfileValue>> copy(Map<String, Map<String, ProfileValue>> source) {
        Map<String, Map<String, ProfileValue>> sorted = new TreeMap<>();
        source.forEach((pid, properties) -> sorted.put(Objects.requireNonNull(pid, "pid"),
                Collections.unmodifiableMap(new TreeMap<>(properties))));
        return Collections.unmodifiableMap(sorted);
    }

    private static Map<String, Map<String, ProfileValue>> configurations(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidDesiredStateException("configurations", "expected an object of PIDs");
        }
        Map<String, Map<String, ProfileValue>> pids = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> pid = it.next();
            pids.put(pid.getKey(), properties("configurations." + pid.getKey(), pid.getValue()));
        }
        return pids;
    }

    private static Map<String, ProfileValue> properties(String path, JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidDesiredStateException(path, "expected an object of keys");
        }
        Map<String, ProfileValue> properties = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> key = it.next();
            properties.put(key.getKey(), value(path + "." + key.getKey(), key.getValue()));
        }
        return properties;
    }

    private static ProfileValue value(String path, JsonNode entry) {
        if (!entry.isObject() || entry.size() != 2 || !entry.has("type") || !entry.has("value")) {
            throw new InvalidDesiredStateException(path, "expected {\"type\": ..., \"value\": ...}");
        }
        try {
            ProfileValue.Type type = ProfileValue.Type.parse(entry.get("type").asText());
            return ProfileValue.of(type, java(entry.get("value")));
        } catch (InvalidFleetInputException e) {
            throw new InvalidDesiredStateException(path, e.getMessage());
        }
    }

    /** Returns the Java form that {@link ProfileValue#of} checks. */
    private static Object java(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> elements = new ArrayList<>(node.size());
            node.forEach(element -> elements.add(java(element)));
            return elements;
        }
        return node;
    }

    private static Set<String> serials(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidDesiredStateException("revokedSerials", "expected an array of hex serial numbers");
        }
        Set<String> serials = new TreeSet<>();
        node.forEach(serial -> {
            if (!serial.isTextual()) {
                throw new InvalidDesiredStateException("revokedSerials", "expected hex strings, found " + serial);
            }
            serials.add(serial.textValue());
        });
        return serials;
    }

    private static List<AppDeployment> sortedByApp(List<AppDeployment> deployments) {
        List<AppDeployment> sorted = new ArrayList<>(deployments);
        sorted.sort(java.util.Comparator.comparing(AppDeployment::app));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).app().equals(sorted.get(i - 1).app())) {
                throw new InvalidDesiredStateException("deployments", "app '" + sorted.get(i).app()
                        + "' is deployed twice; a node runs one version of each app");
            }
        }
        return List.copyOf(sorted);
    }

    private static List<AppDeployment> deployments(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidDesiredStateException("deployments", "expected an array of app deployments");
        }
        List<AppDeployment> deployments = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw new InvalidDesiredStateException("deployments", "expected objects, found " + entry);
            }
            entry.fieldNames().forEachRemaining(name -> {
                if (!DEPLOYMENT_MEMBERS.contains(name)) {
                    throw new InvalidDesiredStateException("deployments." + name, "unknown member; expected "
                            + new TreeSet<>(DEPLOYMENT_MEMBERS));
                }
            });
            deployments.add(new AppDeployment(text(entry, "deploymentId"), text(entry, "app"),
                    text(entry, "version"), text(entry, "sha256"), integer(entry, "size"), text(entry, "signature")));
        }
        return deployments;
    }

    private static void requireSerial(String serial) {
        if (serial == null || !serial.matches("[0-9a-f]{1,64}") || (serial.length() > 1 && serial.startsWith("0"))) {
            throw new InvalidDesiredStateException("revokedSerials", "invalid serial '" + serial
                    + "': expected lower-case hex without leading zeros");
        }
    }

    /** Returns a serial number in the document's form. */
    public static String serial(BigInteger serial) {
        return serial.toString(16);
    }

    private static JsonNode member(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidDesiredStateException(name, "missing");
        }
        return value;
    }

    private static String text(JsonNode root, String name) {
        JsonNode value = member(root, name);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InvalidDesiredStateException(name, "expected a non-empty string");
        }
        return value.textValue();
    }

    private static boolean bool(JsonNode root, String name) {
        JsonNode value = member(root, name);
        if (!value.isBoolean()) {
            throw new InvalidDesiredStateException(name, "expected true or false");
        }
        return value.booleanValue();
    }

    private static long integer(JsonNode root, String name) {
        JsonNode value = member(root, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidDesiredStateException(name, "expected a whole number");
        }
        return value.longValue();
    }

    private static Instant instant(JsonNode root, String name) {
        try {
            return Instant.parse(text(root, name));
        } catch (DateTimeParseException e) {
            throw new InvalidDesiredStateException(name, "expected an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static JsonNode object(JsonNode root, String name) {
        JsonNode value = member(root, name);
        if (!value.isObject()) {
            throw new InvalidDesiredStateException(name, "expected an object");
        }
        return value;
    }
}
