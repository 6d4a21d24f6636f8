package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.control.state.AppDeployment;
import io.weft.control.state.PeerAttributes;
import io.weft.fleet.ClusterName;
import io.weft.fleet.ProfileValue;
import io.weft.fleet.Tag;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.policy.PolicyDocument;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.ProfileOwner;

/** The compiler on the real store in embedded Derby and a real CA. Each test uses domains of its own. */
class DesiredStateCompilerTest {

    private static final String PID = "io.weft.test";

    @TempDir
    static Path folder;

    private static TestStore store;
    private static TestManagerPki pki;
    private static Fleet fleet;
    private static DesiredStateCompiler compiler;

    @BeforeAll
    static void open() throws Exception {
        store = new TestStore(folder);
        pki = new TestManagerPki(folder, store.fleet());
        fleet = new Fleet(store.fleet());
        compiler = new DesiredStateCompiler(pki, store.control(), store.transactions(),
                new EffectiveConfigurations(store.fleet()), PolicySource.NONE, TestManagerPki.CLOCK);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void unchangedContentKeepsRevision() {
        fleet.domain("keep.example");
        fleet.setDomainValue("keep.example", PID, "port", 8443);
        Node node = fleet.node("n1", "keep.example");

        CompiledState first = compileOne(node);
        CompiledState second = compileOne(node);

        assertThat(first.changed()).isTrue();
        assertThat(second.changed()).isFalse();
        assertThat(second.revision()).isEqualTo(first.revision());
        assertThat(store.control().findNodeControl(node.id()).orElseThrow().desiredRevision())
                .isEqualTo(first.revision());
    }

    @Test
    void handsOverEachTransactionsStatesOnceStored() {
        fleet.domain("batch.example");
        fleet.setDomainValue("batch.example", PID, "port", 8443);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < DesiredStateCompiler.NODES_PER_TRANSACTION + 3; i++) {
            nodes.add(fleet.node("b" + i, "batch.example"));
        }
        List<Integer> batchSizes = new ArrayList<>();
        List<String> notStoredWhenHanded = new ArrayList<>();

        List<CompiledState> all = compiler.compile(nodes, () -> nodes, committed -> {
            batchSizes.add(committed.size());
            committed.stream()
                    .filter(state -> store.control().findNodeControl(state.nodeId()).orElseThrow().desiredRevision()
                            != state.revision())
                    .forEach(state -> notStoredWhenHanded.add(state.nodeId()));
        });

        assertThat(batchSizes).containsExactly(DesiredStateCompiler.NODES_PER_TRANSACTION, 3);
        assertThat(notStoredWhenHanded).as("states handed over before their transaction committed").isEmpty();
        assertThat(all).hasSize(nodes.size());
    }

    @Test
    void changedProfileTakesNewRevision() {
        fleet.domain("change.example");
        fleet.setDomainValue("change.example", PID, "port", 8443);
        Node node = fleet.node("n1", "change.example");
        CompiledState before = compileOne(node);

        fleet.setDomainValue("change.example", PID, "port", 9443);
        CompiledState after = compileOne(node);

        assertThat(after.changed()).isTrue();
        assertThat(after.revision()).isGreaterThan(before.revision());
        assertThat(after.document().configurations().get(PID).get("port")).isEqualTo(ProfileValue.ofLong(9443));
        assertThat(store.control().findNodeControl(node.id()).orElseThrow().desiredSha256())
                .isEqualTo(after.document().contentSha256());
    }

    @Test
    void noticesWhenTheHostsOfAnAppChange() {
        fleet.domain("hosts.example");
        Node node = fleet.node("n1", "hosts.example");
        SettableHosts apps = new SettableHosts();
        DesiredStateCompiler withApps = new DesiredStateCompiler(pki, store.control(), store.transactions(),
                new EffectiveConfigurations(store.fleet()), PolicySource.NONE, apps, TestManagerPki.CLOCK);

        apps.hosts = Map.of("hello", Set.of("n1.hosts.example"));
        withApps.compile(List.of(node));
        boolean first = withApps.appHostsChanged();
        withApps.compile(List.of(node));
        boolean unchanged = withApps.appHostsChanged();
        apps.hosts = Map.of("hello", Set.of("n1.hosts.example", "n2.hosts.example"));
        withApps.compile(List.of(node));
        boolean added = withApps.appHostsChanged();

        assertThat(first).as("after the first compilation").isFalse();
        assertThat(unchanged).as("with the same hosts").isFalse();
        assertThat(added).as("after n2 started hosting hello").isTrue();
    }

    @Test
    void lowerLevelsOverrideKeyByKey() {
        fleet.domain("acme.example");
        fleet.domain("east.acme.example");
        fleet.putProfile(ProfileOwner.domain("acme.example"), "{\"pids\":{\"" + PID + "\":{"
                + "\"port\":{\"type\":\"long\",\"value\":1},\"host\":{\"type\":\"string\",\"value\":\"root\"}}}}");
        fleet.setDomainValue("east.acme.example", PID, "port", 2);
        Node node = fleet.node("n1", "east.acme.example");
        fleet.putProfile(ProfileOwner.node(node.id()), "{\"pids\":{\"" + PID + "\":{"
                + "\"host\":{\"type\":\"string\",\"value\":\"node\"}}}}");

        CompiledState state = compileOne(node);

        assertThat(state.document().configurations().get(PID))
                .containsEntry("port", ProfileValue.ofLong(2))
                .containsEntry("host", ProfileValue.ofString("node"));
        assertThat(state.document().nodeName()).isEqualTo("n1.east.acme.example");
    }

    @Test
    void removalDropsInheritedKey() {
        fleet.domain("remove.example");
        fleet.putProfile(ProfileOwner.domain("remove.example"), "{\"pids\":{\"" + PID + "\":{"
                + "\"port\":{\"type\":\"long\",\"value\":1},\"debug\":{\"type\":\"boolean\",\"value\":true}}}}");
        Node node = fleet.node("n1", "remove.example");
        CompiledState before = compileOne(node);

        fleet.putProfile(ProfileOwner.node(node.id()), "{\"pids\":{\"" + PID + "\":{\"debug\":{\"remove\":true}}}}");
        CompiledState after = compileOne(node);

        assertThat(before.document().configurations().get(PID)).containsKey("debug");
        assertThat(after.document().configurations().get(PID)).containsOnlyKeys("port");
        assertThat(after.revision()).isGreaterThan(before.revision());
    }

    @Test
    void revokedSerialsChangeEveryState() {
        fleet.domain("revoke.example");
        Node node = fleet.node("n1", "revoke.example");
        Node other = fleet.node("n2", "revoke.example");
        CompiledState before = compileOne(node);
        pki.issueDirectly(io.weft.pki.KeyPairs.generateNodeKeyPair(TestManagerPki.RANDOM), "n2", "revoke.example",
                other.id());

        List<BigInteger> revoked = pki.revokeNode(other.id(), "test");
        CompiledState after = compileOne(node);

        assertThat(after.document().revokedSerials()).contains(revoked.get(0).toString(16));
        assertThat(after.revision()).isGreaterThan(before.revision());
    }

    @Test
    void invalidProfileLeavesNodeOut() {
        fleet.domain("broken.example");
        Node broken = fleet.node("n1", "broken.example");
        Node fine = fleet.node("n2", "broken.example");
        fleet.putProfile(ProfileOwner.node(broken.id()), "{\"pids\":{\"" + PID + "\":{\"k\":{\"type\":\"long\"}}}}");

        List<CompiledState> states = compiler.compile(List.of(broken, fine));

        assertThat(states).extracting(CompiledState::nodeId).containsExactly(fine.id());
        assertThat(store.control().findNodeControl(broken.id())).isEmpty();
    }

    @Test
    void stateCarriesOnlyRulesOfNode() {
        fleet.domain("policy.example");
        Node web = fleet.node("web", "policy.example");
        Node other = fleet.node("other", "policy.example");
        DocumentPolicyCompiler policies = new DocumentPolicyCompiler("""
                {"rules": [
                  {"id": "web-ssh", "domain": "policy.example", "source": "node:other.policy.example",
                   "destination": {"service": "ssh", "nodes": "node:web.policy.example"}, "action": "allow",
                   "protocol": "tcp", "ports": [22]}
                ]}""");
        DesiredStateCompiler withPolicy = new DesiredStateCompiler(pki, store.control(), store.transactions(),
                new EffectiveConfigurations(store.fleet()), new CompiledPolicySource(policies), TestManagerPki.CLOCK);
        Node third = fleet.node("third", "policy.example");

        List<CompiledState> states = withPolicy.compile(List.of(web, other, third));

        assertThat(states).hasSize(3);
        assertThat(states.get(0).document().policy().path("rules").path(0).path("id").asText()).isEqualTo("web-ssh");
        assertThat(states.get(1).document().policy().path("rules")).hasSize(1);
        assertThat(states.get(2).document().policy().path("rules")).as("rules of a node no rule concerns").isEmpty();
        assertThat(PolicyDocument.parse(states.get(0).document().policy().toString()).rules()).hasSize(1);
        assertThat(states).as("without attribute rules each directory lists the node itself only")
                .allSatisfy(state -> assertThat(peerNames(state)).containsExactly(state.document().nodeName()));
    }

    @Test
    void stateCarriesOnlyPeersItsRulesRead() {
        fleet.domain("peers.example");
        fleet.domain("a.peers.example");
        fleet.domain("b.peers.example");
        Node web = fleet.node("web", "a.peers.example", NodeRole.EDGE, Set.of("web"), Optional.of("shop"));
        Node camera = fleet.node("cam", "a.peers.example", NodeRole.EDGE, Set.of("quarantine", "camera"),
                Optional.empty());
        Node gateway = fleet.node("gw", "a.peers.example", NodeRole.GATEWAY, Set.of(), Optional.of("shop"));
        Node far = fleet.node("far", "b.peers.example", NodeRole.EDGE, Set.of("quarantine"), Optional.empty());
        Node plain = fleet.node("plain", "b.peers.example");
        DocumentPolicyCompiler policies = new DocumentPolicyCompiler("""
                {"rules": [
                  {"id": "all", "domain": "peers.example", "source": "domain:peers.example",
                   "destination": {"service": "http"}, "action": "allow"},
                  {"id": "quarantine", "domain": "a.peers.example", "source": "tag:quarantine",
                   "destination": {"service": "http", "nodes": "cluster:shop"}, "action": "deny"},
                  {"id": "gateways", "domain": "a.peers.example", "source": "role:gateway",
                   "destination": {"service": "ssh", "nodes": "node:web.a.peers.example"}, "action": "allow"}
                ]}""");
        DesiredStateCompiler withPolicy = new DesiredStateCompiler(pki, store.control(), store.transactions(),
                new EffectiveConfigurations(store.fleet()), new CompiledPolicySource(policies), TestManagerPki.CLOCK);

        List<CompiledState> states = withPolicy.compile(List.of(web, camera, gateway, far, plain));

        CompiledState webState = states.get(0);
        assertThat(peerNames(webState)).containsExactly("cam.a.peers.example", "gw.a.peers.example",
                "web.a.peers.example");
        PeerAttributes cameraEntry = webState.document().peers().get(0);
        assertThat(cameraEntry.tags()).as("only the tags that the rules name").containsExactly(Tag.of("quarantine"));
        assertThat(cameraEntry.cluster()).isEmpty();
        PeerAttributes gatewayEntry = webState.document().peers().get(1);
        assertThat(gatewayEntry.role()).isEqualTo(io.weft.fleet.NodeRole.GATEWAY);
        assertThat(gatewayEntry.cluster()).contains(ClusterName.of("shop"));
        PeerAttributes self = webState.document().peers().get(2);
        assertThat(self.tags()).as("the tag web is named by no rule").isEmpty();
        assertThat(self.cluster()).contains(ClusterName.of("shop"));
        assertThat(peerNames(states.get(3))).as("rules of a.peers.example do not concern b.peers.example")
                .containsExactly("far.b.peers.example");
        assertThat(peerNames(states.get(4))).containsExactly("plain.b.peers.example");
        assertThat(webState.document().policy().path("rules")).hasSize(3);
        assertThat(states.get(4).document().policy().path("rules")).hasSize(1);
    }

    private static List<String> peerNames(CompiledState state) {
        return state.document().peers().stream().map(peer -> peer.name().toString()).toList();
    }

    private static CompiledState compileOne(Node node) {
        List<CompiledState> states = compiler.compile(List.of(node));
        assertThat(states).hasSize(1);
        return states.get(0);
    }

    /** Deployments whose only content is the hosts of each app, which a test sets. */
    private static final class SettableHosts implements AppDeployments {

        volatile Map<String, Set<String>> hosts = Map.of();

        @Override
        public Run start(List<Node> nodes) {
            Map<String, Set<String>> current = hosts;
            return new Run() {
                @Override
                public List<AppDeployment> deploymentsFor(Node node) {
                    return List.of();
                }

                @Override
                public Map<String, Set<String>> hostsByApp() {
                    return current;
                }
            };
        }

        @Override
        public Optional<Path> artifact(String sha256) {
            return Optional.empty();
        }

        @Override
        public void nodeReported(String nodeId, String reportJson) {
        }
    }
}
