package io.weft.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.fleet.ClusterName;
import io.weft.fleet.Node;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.Action;
import io.weft.policy.AppOperation;
import io.weft.policy.ClientSubject;
import io.weft.policy.Flow;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyProblem;
import io.weft.policy.PolicyTest;
import io.weft.policy.Protocol;
import io.weft.policy.ServiceName;
import io.weft.policy.ServiceTarget;
import io.weft.policy.Subject;
import io.weft.policy.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reader of a document's test cases. A node is given with the attributes that selectors read,
 * and its role is {@code edge} unless the test case names one:
 *
 * <pre>
 * {"name": "...", "expect": "deny",
 *  "source": {"node": "ops1.acme.example", "tags": ["ops"], "cluster": "ops", "role": "gateway"},
 *  "destination": {"node": "cam1.plant1.east.acme.example", "service": "ssh", "protocol": "tcp", "port": 22}}
 * </pre>
 *
 * A source can be {@code {"client": "ci-deployer"}}, and a destination can name
 * {@code "operation": "io.acme.camera/snapshot"} in place of service, protocol and port.
 */
final class TestReader {

    static final List<String> TEST_FIELDS = List.of("name", "source", "destination", "expect");
    static final List<String> SOURCE_FIELDS = List.of("node", "tags", "cluster", "role", "client");
    static final List<String> DESTINATION_FIELDS = List.of(
            "node", "tags", "cluster", "role", "service", "protocol", "port", "operation");

    private final List<PolicyProblem> problems;

    TestReader(List<PolicyProblem> problems) {
        this.problems = problems;
    }

    Optional<PolicyTest> test(JsonNode value, String path) {
        if (!value.isObject()) {
            problems.add(PolicyProblem.of(path, "Expected a test case object, found " + JsonFields.typeOf(value) + "."));
            return Optional.empty();
        }
        int before = problems.size();
        JsonFields fields = new JsonFields(value, path, Optional.empty(), problems, TEST_FIELDS);
        String name = fields.text("name", false).orElse(path);
        Optional<Subject> source = fields.node("source", true).flatMap(s -> source(s, fields.pathOf("source")));
        Optional<JsonFields> destination = fields.node("destination", true)
                .flatMap(d -> object(d, fields.pathOf("destination"), DESTINATION_FIELDS));
        Optional<NodeSubject> destinationNode = destination.flatMap(this::node);
        Optional<Target> target = destination.flatMap(this::target);
        Optional<Action> expected = fields.text("expect", true).flatMap(t -> fields.convert("expect", () -> Action.parse(t)));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return fields.convert("name", () -> new PolicyTest(name,
                new Flow(source.get(), destinationNode.get(), target.get()), expected.get()));
    }

    private Optional<Subject> source(JsonNode value, String path) {
        Optional<JsonFields> fields = object(value, path, SOURCE_FIELDS);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        JsonFields source = fields.get();
        if (source.has("client")) {
            if (source.has("node") || source.has("tags") || source.has("cluster") || source.has("role")) {
                source.problem("client", "A source is either a client or a node. Remove 'client' or the node's fields.");
                return Optional.empty();
            }
            return source.text("client", true).flatMap(t -> source.convert("client", () -> ClientSubject.of(t)));
        }
        return node(source).map(Subject.class::cast);
    }

    private Optional<NodeSubject> node(JsonFields fields) {
        int before = problems.size();
        Optional<NodeFullName> name = fields.text("node", true).flatMap(t -> fields.convert("node", () -> NodeFullName.parse(t)));
        NodeRole role = fields.text("role", false).flatMap(t -> fields.convert("role", () -> NodeRole.parse(t)))
                .orElse(NodeRole.EDGE);
        Optional<ClusterName> cluster = fields.text("cluster", false)
                .flatMap(t -> fields.convert("cluster", () -> ClusterName.of(t)));
        Set<Tag> tags = fields.array("tags", false, Node.MAX_TAGS, "Remove some tags.")
                .map(array -> tags(array, fields)).orElse(Set.of());
        if (problems.size() > before) {
            return Optional.empty();
        }
        return fields.convert("node", () -> new NodeSubject(name.get(), role, tags, cluster));
    }

    private Set<Tag> tags(JsonNode array, JsonFields fields) {
        Set<Tag> tags = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode tag = array.get(i);
            String field = "tags[" + i + "]";
            if (tag.isTextual()) {
                fields.convert(field, () -> Tag.of(tag.textValue())).ifPresent(tags::add);
            } else {
                fields.problem(field, "Expected a tag as a string, found " + JsonFields.typeOf(tag) + ".");
            }
        }
        return tags;
    }

    private Optional<Target> target(JsonFields fields) {
        if (fields.has("operation")) {
            if (fields.has("service") || fields.has("protocol") || fields.has("port")) {
                fields.problem("operation", "A destination reaches either a service or an app operation. Remove"
                        + " 'operation' or 'service', 'protocol' and 'port'.");
                return Optional.empty();
            }
            return fields.text("operation", true).flatMap(t -> fields.convert("operation", () -> AppOperation.parse(t)));
        }
        return serviceTarget(fields).map(Target.class::cast);
    }

    private Optional<ServiceTarget> serviceTarget(JsonFields fields) {
        int before = problems.size();
        Optional<ServiceName> service = fields.text("service", true)
                .flatMap(t -> fields.convert("service", () -> ServiceName.of(t)));
        Protocol protocol = fields.text("protocol", false).flatMap(t -> fields.convert("protocol", () -> Protocol.parse(t)))
                .orElse(Protocol.TCP);
        Optional<Integer> port = fields.node("port", true).flatMap(p -> port(p, fields));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return fields.convert("port", () -> new ServiceTarget(service.get(), protocol, port.get()));
    }

    private Optional<Integer> port(JsonNode value, JsonFields fields) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            fields.problem("port", "Expected a port number from 1 to 65535, found "
                    + (value.isNumber() ? value.asText() : JsonFields.typeOf(value)) + ".");
            return Optional.empty();
        }
        return Optional.of(value.intValue());
    }

    private Optional<JsonFields> object(JsonNode value, String path, List<String> allowed) {
        if (!value.isObject()) {
            problems.add(PolicyProblem.of(path, "Expected an object, found " + JsonFields.typeOf(value) + "."));
            return Optional.empty();
        }
        return Optional.of(new JsonFields(value, path, Optional.empty(), problems, allowed));
    }
}
