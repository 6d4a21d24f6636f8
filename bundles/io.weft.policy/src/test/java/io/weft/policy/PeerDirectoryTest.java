package io.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.internal.AttributeIndex;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Peer directories of compiled policies: a node that evaluates its own rule subset with its
 * directory decides every flow of the node as the whole policy decides it with the fleet's
 * real attributes.
 */
class PeerDirectoryTest {

    private static final int TRIALS = 200;
    private static final int RULES = 40;
    private static final int FLOWS = 200;

    @Test
    void nodeDecidesAsWholePolicy() {
        int attributeFlows = 0;
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            Policy policy = Policy.of(random.rules(RULES));
            CompiledPolicy compiled = policy.compile(random.nodes);

            for (Flow flow : random.flows(FLOWS)) {
                Decision expected = policy.decide(flow);
                assertDecidesAt(compiled, flow.destination(), flow, expected, seed);
                if (flow.source() instanceof NodeSubject source) {
                    assertDecidesAt(compiled, source, flow, expected, seed);
                    if (!source.tags().isEmpty() || source.cluster().isPresent()) {
                        attributeFlows++;
                    }
                }
            }
        }
        assertThat(attributeFlows).as("flows from nodes with tags or a cluster").isGreaterThan(1000);
    }

    @Test
    void truncatedDirectoryNeverWidensAccess() {
        int truncated = 0;
        int unknownPeerDenials = 0;
        for (long seed = 0; seed < TRIALS; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            Policy policy = Policy.of(random.rules(RULES));
            CompiledPolicy compiled = policy.compile(random.nodes);
            AttributeIndex index = new AttributeIndex(random.nodes);

            for (Flow flow : random.flows(FLOWS)) {
                NodeSubject at = flow.destination();
                AttributeIndex.Peers peers = index.peersFor(at, compiled.rulesFor(at.name()), 3);
                PeerDirectory directory = PeerDirectory.of(peers.entries(), peers.complete());
                Subject source = flow.source() instanceof NodeSubject node ? directory.subjectOf(node.name())
                        : flow.source();
                Flow local = new Flow(source, directory.subjectOf(at.name()), flow.target());

                Decision decided = compiled.policyFor(at.name()).decide(local, directory);

                truncated += peers.complete() ? 0 : 1;
                unknownPeerDenials += decided.reason().contains("truncated peer directory") ? 1 : 0;
                if (!policy.decide(flow).isAllowed()) {
                    assertThat(decided.action()).as("seed %d, flow %s decided at %s", seed, flow, at)
                            .isEqualTo(Action.DENY);
                }
            }
        }
        assertThat(truncated).as("decisions with a truncated directory").isGreaterThan(1000);
        assertThat(unknownPeerDenials).as("denials of an unlisted peer").isGreaterThan(100);
    }

    @Test
    void partialCompileListsSamePeers() {
        for (long seed = 0; seed < 50; seed++) {
            RandomPolicies random = new RandomPolicies(seed, 30);
            Policy policy = Policy.of(random.rules(RULES));
            CompiledPolicy whole = policy.compile(random.nodes);
            List<NodeSubject> few = random.nodes.subList(0, 5);

            CompiledPolicy partial = policy.compile(few, random.nodes);

            for (NodeSubject node : few) {
                assertThat(partial.peersFor(node.name())).as("seed %d, node %s", seed, node)
                        .isEqualTo(whole.peersFor(node.name()));
            }
        }
    }

    @Test
    void directoryListsOnlyMatchedNodesWithNamedAttributes() {
        NodeSubject web = node("web.a.acme.example", NodeRole.EDGE, Set.of("web"), Optional.of("shop"));
        NodeSubject camera = node("cam.a.acme.example", NodeRole.EDGE, Set.of("quarantine", "camera"),
                Optional.empty());
        NodeSubject gateway = node("gw.a.acme.example", NodeRole.GATEWAY, Set.of(), Optional.empty());
        NodeSubject outside = node("cam.b.acme.example", NodeRole.EDGE, Set.of("quarantine"), Optional.empty());
        NodeSubject plain = node("plain.a.acme.example", NodeRole.EDGE, Set.of(), Optional.empty());
        Policy policy = PolicyDocument.parse("""
                {"rules": [
                  {"id": "all", "domain": "acme.example", "source": "domain:acme.example",
                   "destination": {"service": "http"}, "action": "allow"},
                  {"id": "quarantine", "domain": "a.acme.example", "source": "tag:quarantine",
                   "destination": {"service": "http"}, "action": "deny"}
                ]}""").policy();

        PeerDirectory peers = policy.compile(List.of(web, camera, gateway, outside, plain)).peersFor(web.name());

        assertThat(peers.entries()).containsExactly(
                node("cam.a.acme.example", NodeRole.EDGE, Set.of("quarantine"), Optional.empty()),
                node("web.a.acme.example", NodeRole.EDGE, Set.of(), Optional.empty()));
        assertThat(peers.subjectOf("plain.a.acme.example")).isEqualTo(NodeSubject.edge("plain.a.acme.example"));
        assertThat(peers.subjectOf("gw.a.acme.example")).as("no rule reads roles, so the gateway is not listed")
                .isEqualTo(NodeSubject.edge("gw.a.acme.example"));
    }

    @Test
    void roleTermListsGateways() {
        NodeSubject web = node("web.a.acme.example", NodeRole.EDGE, Set.of(), Optional.empty());
        NodeSubject gateway = node("gw.a.acme.example", NodeRole.GATEWAY, Set.of("x"), Optional.empty());
        Policy policy = PolicyDocument.parse("""
                {"rules": [
                  {"id": "edges", "domain": "acme.example", "source": "role:edge",
                   "destination": {"service": "http"}, "action": "allow"}
                ]}""").policy();

        PeerDirectory peers = policy.compile(List.of(web, gateway)).peersFor(web.name());

        assertThat(peers.subjectOf(gateway.name()).role()).isEqualTo(NodeRole.GATEWAY);
        assertThat(peers.subjectOf(gateway.name()).tags()).isEmpty();
        assertThat(peers.subjectOf(web.name()).role()).isEqualTo(NodeRole.EDGE);
    }

    @Test
    void attributeRuleDomainsNameRulesThatReadAttributes() {
        Policy policy = PolicyDocument.parse("""
                {"rules": [
                  {"id": "plain", "domain": "acme.example", "source": "domain:acme.example",
                   "destination": {"service": "http"}, "action": "allow"},
                  {"id": "tagged", "domain": "a.acme.example", "source": "any(node:x.a.acme.example, tag:t)",
                   "destination": {"service": "http"}, "action": "deny"},
                  {"id": "clustered", "domain": "b.acme.example", "source": "domain:b.acme.example",
                   "destination": {"service": "http", "nodes": "cluster:web"}, "action": "allow"}
                ]}""").policy();

        assertThat(policy.attributeRuleDomains())
                .containsExactly(DomainName.of("a.acme.example"), DomainName.of("b.acme.example"));
    }

    @Test
    void duplicateEntryRejected() {
        NodeSubject node = NodeSubject.edge("n.acme.example");

        assertThatThrownBy(() -> PeerDirectory.of(List.of(node, node.withTags(Set.of(Tag.of("t"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n.acme.example twice");
    }

    private static void assertDecidesAt(CompiledPolicy compiled, NodeSubject at, Flow flow, Decision expected,
            long seed) {
        PeerDirectory peers = compiled.peersFor(at.name());
        Subject source = flow.source() instanceof NodeSubject node ? peers.subjectOf(node.name()) : flow.source();
        Flow local = new Flow(source, peers.subjectOf(flow.destination().name()), flow.target());

        Decision decided = compiled.policyFor(at.name()).decide(local);

        assertThat(decided.action()).as("seed %d, flow %s decided at %s", seed, flow, at).isEqualTo(expected.action());
        assertThat(decided.rule().map(RuleRef::id)).as("seed %d, flow %s decided at %s", seed, flow, at)
                .isEqualTo(expected.rule().map(RuleRef::id));
    }

    private static NodeSubject node(String name, NodeRole role, Set<String> tags, Optional<String> cluster) {
        return new NodeSubject(NodeFullName.parse(name), role,
                tags.stream().map(Tag::of).collect(java.util.stream.Collectors.toSet()), cluster.map(ClusterName::of));
    }
}
