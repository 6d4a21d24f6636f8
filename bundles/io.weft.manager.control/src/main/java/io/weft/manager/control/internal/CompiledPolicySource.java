package io.weft.manager.control.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.manager.policy.api.NodePolicies;
import io.weft.manager.policy.api.PolicyCompiler;
import io.weft.manager.store.Node;
import io.weft.policy.NodeSubject;
import io.weft.policy.PeerDirectory;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyRule;

/**
 * Policies from the stored policy document: each run compiles the policy once for its nodes,
 * and gives each node a document with the rules that can concern it as source or destination,
 * and the peer directory with the attributes of the nodes that those rules read. Nodes with the
 * same rules share one JSON tree. The fleet is read only when a stored rule reads attributes.
 */
final class CompiledPolicySource implements PolicySource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PolicyCompiler compiler;

    CompiledPolicySource(PolicyCompiler compiler) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    @Override
    public Run start(List<Node> nodes, Supplier<List<Node>> fleet) {
        List<NodeSubject> subjects = nodes.stream().map(CompiledPolicySource::subject).toList();
        List<NodeSubject> fleetSubjects = compiler.attributeRuleDomains().isEmpty() ? subjects
                : fleet.get().stream().map(CompiledPolicySource::subject).toList();
        NodePolicies policies = compiler.compile(subjects, fleetSubjects);
        Map<List<PolicyRule>, JsonNode> documents = new HashMap<>();

        return new Run() {
            @Override
            public JsonNode policyFor(Node node) {
                return documents.computeIfAbsent(policies.rulesFor(fullName(node)), CompiledPolicySource::document);
            }

            @Override
            public PeerDirectory peersFor(Node node) {
                return policies.peersFor(fullName(node));
            }
        };
    }

    @Override
    public Set<DomainName> attributeRuleDomains() {
        return compiler.attributeRuleDomains();
    }

    private static JsonNode document(List<PolicyRule> rules) {
        try {
            return MAPPER.readTree(PolicyDocument.of(rules, List.of()).toJsonBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read back the JSON of a compiled policy", e);
        }
    }

    static NodeSubject subject(Node node) {
        Set<Tag> tags = new TreeSet<>();
        node.tags().forEach(tag -> tags.add(Tag.of(tag)));
        Optional<ClusterName> cluster = node.cluster().map(ClusterName::of);
        return new NodeSubject(fullName(node), NodeRole.valueOf(node.role().name()), tags, cluster);
    }

    private static NodeFullName fullName(Node node) {
        return NodeFullName.parse(node.fullName());
    }
}
