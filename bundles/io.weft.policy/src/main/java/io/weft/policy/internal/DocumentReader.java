package io.weft.policy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.weft.fleet.DomainName;
import io.weft.policy.Action;
import io.weft.policy.AppOperation;
import io.weft.policy.Destination;
import io.weft.policy.Endpoint;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.Policy;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyProblem;
import io.weft.policy.PolicyRule;
import io.weft.policy.PolicyTest;
import io.weft.policy.PortRange;
import io.weft.policy.Protocol;
import io.weft.policy.Selector;
import io.weft.policy.ServiceName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Strict reader of policy documents. It reads the whole document, collects every problem with
 * its rule id and field path, and returns a document only when there is none.
 */
public final class DocumentReader {

    /**
     * Deepest nesting of JSON arrays and objects. A selector at the maximum nesting of
     * all(...) and any(...) needs about 20 levels. Jackson 2.18's default is 1000.
     */
    static final int MAX_JSON_NESTING = 64;

    static final List<String> DOCUMENT_FIELDS = List.of("rules", "tests");
    static final List<String> RULE_FIELDS = List.of(
            "id", "domain", "source", "destination", "action", "protocol", "ports", "description", "guardrail");
    static final List<String> DESTINATION_FIELDS = List.of("service", "operation", "nodes");

    private static final ObjectMapper MAPPER = strictMapper();

    private final List<PolicyProblem> problems = new ArrayList<>();

    private DocumentReader() {
    }

    /**
     * Reads a document from JSON text.
     *
     * @throws InvalidPolicyException listing every problem
     */
    public static PolicyDocument read(String json) {
        requireSize(json.length(), "characters");
        try {
            return new DocumentReader().document(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        }
    }

    /**
     * Reads a document from UTF-8 bytes.
     *
     * @throws InvalidPolicyException listing every problem
     */
    public static PolicyDocument read(byte[] utf8) {
        requireSize(utf8.length, "bytes");
        try {
            return new DocumentReader().document(MAPPER.readTree(utf8));
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            // Only a read from a stream can fail with a plain I/O error, and bytes are in memory.
            throw new IllegalStateException("Failed to read a policy document from memory", e);
        }
    }

    private PolicyDocument document(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidPolicyException("document", "Expected a JSON object with 'rules' and optional 'tests',"
                    + " found " + (root == null || root.isMissingNode() ? "nothing" : JsonFields.typeOf(root)) + ".");
        }
        JsonFields fields = new JsonFields(root, "", Optional.empty(), problems, DOCUMENT_FIELDS);
        List<PolicyRule> rules = fields.array("rules", true, Policy.MAX_RULES,
                "Merge rules with selectors that match several nodes.").map(this::rules).orElse(List.of());
        List<PolicyTest> tests = fields.array("tests", false, PolicyDocument.MAX_TESTS,
                "Split the test cases over several documents.").map(this::tests).orElse(List.of());

        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return PolicyDocument.of(rules, tests);
    }

    private List<PolicyRule> rules(JsonNode array) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            rule(array.get(i), "rules[" + i + "]").ifPresent(rules::add);
        }
        reportDuplicateIds(array);
        return rules;
    }

    private List<PolicyTest> tests(JsonNode array) {
        List<PolicyTest> tests = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            new TestReader(problems).test(array.get(i), "tests[" + i + "]").ifPresent(tests::add);
        }
        return tests;
    }

    private Optional<PolicyRule> rule(JsonNode value, String path) {
        if (!value.isObject()) {
            problems.add(PolicyProblem.of(path, "Expected a rule object, found " + JsonFields.typeOf(value) + "."));
            return Optional.empty();
        }
        JsonNode idValue = value.get("id");
        Optional<String> ruleId = idValue != null && idValue.isTextual() && !idValue.textValue().isEmpty()
                ? Optional.of(idValue.textValue()) : Optional.empty();
        int before = problems.size();
        JsonFields fields = new JsonFields(value, path, ruleId, problems, RULE_FIELDS);

        Optional<String> id = fields.text("id", true);
        Optional<DomainName> domain = fields.text("domain", true).flatMap(t -> fields.convert("domain", () -> DomainName.of(t)));
        Optional<Selector> source = fields.node("source", true)
                .flatMap(s -> SelectorJson.read(s, fields.pathOf("source"), ruleId, problems));
        Optional<Destination> destination = fields.node("destination", true).flatMap(d -> destination(d, fields));
        Optional<Action> action = fields.text("action", true).flatMap(t -> fields.convert("action", () -> Action.parse(t)));
        Optional<Protocol> protocol = fields.text("protocol", false)
                .flatMap(t -> fields.convert("protocol", () -> Protocol.parse(t)));
        List<PortRange> ports = fields.array("ports", false, PolicyRule.MAX_PORT_RANGES,
                "Merge adjacent ports into ranges such as '8000-8080'.").map(a -> ports(a, fields)).orElse(List.of());
        String description = fields.text("description", false).orElse("");
        boolean guardrail = fields.bool("guardrail");
        if (problems.size() > before) {
            return Optional.empty();
        }

        return build(path, ruleId, () -> new PolicyRule(id.get(), domain.get(), source.get(), destination.get(),
                action.get(), protocol, ports, description, guardrail));
    }

    private Optional<PolicyRule> build(String path, Optional<String> ruleId, Supplier<PolicyRule> rule) {
        try {
            return Optional.of(rule.get());
        } catch (InvalidPolicyException e) {
            e.problems().forEach(p -> problems.add(p.within(ruleId, path + ".")));
            return Optional.empty();
        }
    }

    private Optional<Destination> destination(JsonNode value, JsonFields rule) {
        String path = rule.pathOf("destination");
        if (!value.isObject()) {
            rule.problem("destination", "Expected an object such as {\"service\": \"ssh\", \"nodes\": \"tag:camera\"}"
                    + " or {\"operation\": \"io.acme.camera/snapshot\"}, found " + JsonFields.typeOf(value) + ".");
            return Optional.empty();
        }
        int before = problems.size();
        JsonFields fields = new JsonFields(value, path, rule.ruleId(), problems, DESTINATION_FIELDS);
        Optional<String> endpoint = endpointText(fields);
        String endpointField = fields.has("operation") ? "operation" : "service";
        Optional<Endpoint> parsed = endpoint.flatMap(t -> fields.convert(endpointField, () -> endpoint(endpointField, t)));
        Optional<Selector> nodes = fields.node("nodes", false)
                .flatMap(n -> SelectorJson.read(n, fields.pathOf("nodes"), rule.ruleId(), problems));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return fields.convert("nodes", () -> new Destination(parsed.get(), nodes));
    }

    private static Endpoint endpoint(String field, String text) {
        if (field.equals("operation")) {
            return AppOperation.parse(text);
        }
        return ServiceName.of(text);
    }

    private Optional<String> endpointText(JsonFields fields) {
        if (fields.has("service") == fields.has("operation")) {
            fields.problem("service", "A destination needs exactly one of 'service' and 'operation'. Name a service"
                    + " such as \"ssh\" or an app operation such as \"io.acme.camera/snapshot\".");
            return Optional.empty();
        }
        return fields.text(fields.has("service") ? "service" : "operation", true);
    }

    private List<PortRange> ports(JsonNode array, JsonFields rule) {
        List<PortRange> ports = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode port = array.get(i);
            String field = "ports[" + i + "]";
            if (port.isIntegralNumber() && port.canConvertToInt()) {
                rule.convert(field, () -> PortRange.of(port.intValue())).ifPresent(ports::add);
            } else if (port.isTextual()) {
                rule.convert(field, () -> PortRange.parse(port.textValue())).ifPresent(ports::add);
            } else {
                rule.problem(field, "Expected a port such as 22 or a range such as \"8000-8080\", found "
                        + (port.isNumber() ? port.asText() : JsonFields.typeOf(port)) + ".");
            }
        }
        return ports;
    }

    private void reportDuplicateIds(JsonNode array) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode id = array.get(i).get("id");
            if (id == null || !id.isTextual()) {
                continue;
            }
            Integer first = firstIndex.putIfAbsent(id.textValue(), i);
            if (first != null) {
                problems.add(new PolicyProblem(Optional.of(id.textValue()), "rules[" + i + "].id", "Duplicate rule id "
                        + Texts.quote(id.textValue()) + ": rules[" + first + "] has the same id. Give every rule its"
                        + " own id."));
            }
        }
    }

    private static void requireSize(int size, String unit) {
        if (size > PolicyDocument.MAX_DOCUMENT_SIZE) {
            throw new InvalidPolicyException("document", "The document has " + size + " " + unit + ", more than the"
                    + " maximum of " + PolicyDocument.MAX_DOCUMENT_SIZE + ". Split the policy or shorten descriptions.");
        }
    }

    private static InvalidPolicyException invalidJson(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new InvalidPolicyException("document", "Invalid JSON" + where + ": " + e.getOriginalMessage()
                + ". Fix the document's syntax.");
    }

    private static ObjectMapper strictMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_NESTING).build())
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }
}
