package io.weft.policy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.fleet.Tag;
import io.weft.policy.AppOperation;
import io.weft.policy.ClientSubject;
import io.weft.policy.Flow;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyRule;
import io.weft.policy.PolicyTest;
import io.weft.policy.PortRange;
import io.weft.policy.ServiceName;
import io.weft.policy.ServiceTarget;
import java.util.TreeSet;

/** Writer of policy documents in the form that {@link DocumentReader} reads. Optional fields at their defaults are left out. */
public final class DocumentWriter {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DocumentWriter() {
    }

    public static String write(PolicyDocument document) {
        ObjectNode root = NODES.objectNode();
        ArrayNode rules = root.putArray("rules");
        document.rules().forEach(rule -> rules.add(rule(rule)));
        if (!document.tests().isEmpty()) {
            ArrayNode tests = root.putArray("tests");
            document.tests().forEach(test -> tests.add(test(test)));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write a policy document as JSON", e);
        }
    }

    private static ObjectNode rule(PolicyRule rule) {
        ObjectNode json = NODES.objectNode();
        json.put("id", rule.id());
        json.put("domain", rule.domain().toString());
        json.set("source", SelectorJson.write(rule.source()));
        ObjectNode destination = json.putObject("destination");
        destination.put(rule.destination().endpoint() instanceof ServiceName ? "service" : "operation",
                rule.destination().endpoint().toString());
        rule.destination().nodes().ifPresent(nodes -> destination.set("nodes", SelectorJson.write(nodes)));
        json.put("action", rule.action().id());
        rule.protocol().ifPresent(protocol -> json.put("protocol", protocol.id()));
        if (!rule.ports().isEmpty()) {
            ArrayNode ports = json.putArray("ports");
            rule.ports().forEach(range -> addPort(ports, range));
        }
        if (!rule.description().isEmpty()) {
            json.put("description", rule.description());
        }
        if (rule.guardrail()) {
            json.put("guardrail", true);
        }
        return json;
    }

    private static void addPort(ArrayNode ports, PortRange range) {
        if (range.first() == range.last()) {
            ports.add(range.first());
        } else {
            ports.add(range.toString());
        }
    }

    private static ObjectNode test(PolicyTest test) {
        ObjectNode json = NODES.objectNode();
        json.put("name", test.name());
        Flow flow = test.flow();
        json.set("source", flow.source() instanceof ClientSubject client
                ? NODES.objectNode().put("client", client.name().toString())
                : node((NodeSubject) flow.source()));
        ObjectNode destination = node(flow.destination());
        if (flow.target() instanceof ServiceTarget service) {
            destination.put("service", service.service().toString());
            destination.put("protocol", service.protocol().id());
            destination.put("port", service.port());
        } else {
            destination.put("operation", ((AppOperation) flow.target()).toString());
        }
        json.set("destination", destination);
        json.put("expect", test.expected().id());
        return json;
    }

    private static ObjectNode node(NodeSubject node) {
        ObjectNode json = NODES.objectNode();
        json.put("node", node.name().toString());
        json.put("role", node.role().id());
        if (!node.tags().isEmpty()) {
            ArrayNode tags = json.putArray("tags");
            new TreeSet<>(node.tags()).stream().map(Tag::toString).forEach(tags::add);
        }
        node.cluster().ifPresent(cluster -> json.put("cluster", cluster.toString()));
        return json;
    }
}
