package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.control.DesiredState;
import io.weft.control.FlowAck;
import io.weft.control.FlowRecord;
import io.weft.control.FlowRecords;
import io.weft.control.ErrorMessage;
import io.weft.control.HelloAck;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.control.state.DesiredStateDocument;
import io.weft.fleet.ProfileValue;
import io.weft.fleet.Tag;
import io.weft.manager.api.events.FleetChange;
import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.Node;
import io.weft.manager.store.StoredFlow;
import io.weft.manager.store.NodeControl;
import io.weft.manager.store.NodeState;
import io.weft.pki.CertificationRequests;
import io.weft.pki.KeyPairs;
import io.weft.pki.Pem;

/**
 * The control plane end to end on 127.0.0.1: the real store in Derby, a real CA, and nodes on
 * the real control client. Each test uses domains of its own.
 */
class ControlPlaneTest {

    private static final String PID = "io.weft.test";
    private static final Duration WAIT = TestNode.WAIT;
    /** Rules that read a tag in attr.example only, so that the other tests' domains get no rules. */
    private static final String POLICY = """
            {"rules": [
              {"id": "all", "domain": "attr.example", "source": "domain:attr.example",
               "destination": {"service": "http"}, "action": "allow"},
              {"id": "quarantine", "domain": "a.attr.example", "source": "tag:quarantine",
               "destination": {"service": "http"}, "action": "deny"}
            ]}""";

    @TempDir
    static Path folder;

    private static TestStore store;
    private static TestManagerPki pki;
    private static Fleet fleet;
    private static ControlPlane plane;
    private static InetSocketAddress address;

    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        store = new TestStore(folder);
        pki = new TestManagerPki(folder, store.fleet());
        fleet = new Fleet(store.fleet());
        ControlPlaneSettings settings = new ControlPlaneSettings("127.0.0.1", 0, 30, 2, Duration.ofHours(1));
        plane = new ControlPlane(pki, store.fleet(), store.control(), store.transactions(), store.flows(), settings,
                new CompiledPolicySource(new DocumentPolicyCompiler(POLICY)), TestManagerPki.CLOCK);
        pki.addListener((nodeId, serials) -> plane.revoked(nodeId));
        address = plane.start();
    }

    @AfterAll
    static void stop() {
        plane.close();
        store.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void helloReceivesSignedState() throws Exception {
        fleet.domain("hello.example");
        fleet.setDomainValue("hello.example", PID, "port", 8443);
        Node stored = fleet.node("n1", "hello.example");
        TestNode node = node(stored);

        node.connect(address);
        HelloAck ack = node.awaitMessage(HelloAck.class);
        DesiredState state = node.awaitMessage(DesiredState.class);

        DesiredStateDocument document = DesiredStateDocument.parse(pki.stateVerifier().verify(state.envelope()).payload());
        assertThat(ack.accepted()).isTrue();
        assertThat(document.nodeId()).isEqualTo(stored.id());
        assertThat(document.revision()).isEqualTo(state.revision());
        assertThat(document.configurations().get(PID)).containsEntry("port", ProfileValue.ofLong(8443));
        assertThat(plane.isOnline(stored.id())).isTrue();
    }

    @Test
    void appliedAcknowledgementIsRecorded() throws Exception {
        fleet.domain("ack.example");
        Node stored = fleet.node("n1", "ack.example");
        TestNode node = node(stored);
        node.connect(address);
        DesiredState state = node.awaitMessage(DesiredState.class);

        NodeControl control = awaitApplied(stored, state.revision());

        assertThat(control.appliedRevision()).isEqualTo(state.revision());
        assertThat(control.weftVersion()).contains("1.0.0-test");
        assertThat(store.fleet().findNode(stored.id()).orElseThrow().lastSeen()).isPresent();
    }

    @Test
    void flowRecordsAreStoredOnceAndAcknowledged() throws Exception {
        fleet.domain("flows.example");
        Node stored = fleet.node("n1", "flows.example");
        TestNode node = node(stored);
        node.connect(address);
        node.awaitMessage(DesiredState.class);
        FlowRecords batch = new FlowRecords(77, List.of(
                new FlowRecord(1, FlowRecord.Event.CLOSED, FlowRecord.End.SOURCE, "n1.flows.example",
                        "n2.flows.example", "db", 5432, FlowRecord.Action.ALLOW, "allow-db", 1_000, 20, 300, 400),
                new FlowRecord(2, FlowRecord.Event.DENIED, FlowRecord.End.SOURCE, "n1.flows.example",
                        "n2.flows.example", "ssh", 22, FlowRecord.Action.DENY, null, 2_000, 0, 0, 0)), 5);

        node.session().send(batch);
        FlowAck first = node.awaitMessage(FlowAck.class);
        node.session().send(batch);
        FlowAck repeated = node.awaitMessage(FlowAck.class);

        assertThat(first.lastSequence()).isEqualTo(2);
        assertThat(repeated.lastSequence()).isEqualTo(2);
        List<StoredFlow> flows = store.flows().listFlows(FlowQuery.all().inDomains(List.of("flows.example"))).items();
        assertThat(flows).as("records stored from a batch sent twice").hasSize(2);
        assertThat(flows.get(0).service()).isEqualTo("ssh");
        assertThat(flows.get(0).rule()).isEmpty();
        assertThat(flows.get(1).rule()).contains("allow-db");
        assertThat(flows.get(1).reporterNodeId()).isEqualTo(stored.id());
        assertThat(flows.get(1).bytesToDestination()).isEqualTo(300);
        assertThat(flows.get(1).bytesToSource()).isEqualTo(400);
    }

    @Test
    void callRecordsAreStoredWithTheirFacts() throws Exception {
        fleet.domain("calls.example");
        Node stored = fleet.node("n1", "calls.example");
        TestNode node = node(stored);
        node.connect(address);
        node.awaitMessage(DesiredState.class);
        FlowRecords batch = new FlowRecords(78, List.of(
                new FlowRecord(1, FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION, "n2.calls.example",
                        "n1.calls.example", "edge-api", 0, FlowRecord.Action.ALLOW, "allow-greet", 1_000, 20, 15, 40,
                        FlowRecord.Kind.CALL, "hello", "greet", "client:ci", "n2.calls.example", 200)), 0);

        node.session().send(batch);
        node.awaitMessage(FlowAck.class);

        List<StoredFlow> flows = store.flows().listFlows(FlowQuery.all().inDomains(List.of("calls.example"))).items();
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).kind()).isEqualTo(StoredFlow.CALL);
        assertThat(flows.get(0).call()).contains(new StoredFlow.Call("hello", "greet", Optional.of("client:ci"),
                Optional.of("n2.calls.example"), 200));
        assertThat(flows.get(0).rule()).contains("allow-greet");
    }

    @Test
    void unknownNodeIsRefused() throws Exception {
        TestNode node = track(TestNode.withCertificate(pki, "ghost", "unknown.example", "no-such-node"));

        node.connect(address);
        ErrorMessage error = node.awaitMessage(ErrorMessage.class);

        assertThat(error.code()).isEqualTo(ControlSessionHandler.UNKNOWN_NODE);
        assertThat(error.message()).contains("no-such-node");
        node.awaitClosed();
        assertThat(plane.isOnline("no-such-node")).isFalse();
    }

    @Test
    void revokedNodeIsRefused() throws Exception {
        fleet.domain("refused.example");
        Node stored = fleet.node("n1", "refused.example");
        store.fleet().updateNodeState(stored.id(), stored.version(), NodeState.REVOKED);
        TestNode node = node(stored);

        node.connect(address);
        ErrorMessage error = node.awaitMessage(ErrorMessage.class);

        assertThat(error.code()).isEqualTo(ControlSessionHandler.NODE_REVOKED);
        node.awaitClosed();
    }

    @Test
    void revocationClosesSession() throws Exception {
        fleet.domain("revoke.example");
        Node stored = fleet.node("n1", "revoke.example");
        TestNode node = node(stored);
        node.connect(address);
        node.awaitMessage(DesiredState.class);

        pki.revokeNode(stored.id(), "test");

        assertThat(node.awaitMessage(ErrorMessage.class).code()).isEqualTo(ControlSessionHandler.NODE_REVOKED);
        node.awaitClosed();
        assertThat(plane.isOnline(stored.id())).isFalse();
    }

    @Test
    void renewalIssuesCertificate() throws Exception {
        fleet.domain("renew.example");
        Node stored = fleet.node("n1", "renew.example");
        TestNode node = node(stored);
        node.connect(address);
        node.awaitMessage(DesiredState.class);
        KeyPair newKeys = KeyPairs.generateNodeKeyPair(TestManagerPki.RANDOM);

        node.session().send(new RenewRequest(CertificationRequests.create(newKeys, "n1", TestManagerPki.RANDOM)));
        RenewResponse response = node.awaitMessage(RenewResponse.class);

        assertThat(response.error()).isNull();
        var chain = Pem.readCertificates(response.chainPem());
        assertThat(chain.get(0).getPublicKey()).isEqualTo(newKeys.getPublic());
        assertThat(NodeIdentity.nodeId(chain.get(0))).isEqualTo(stored.id());
    }

    @Test
    void invalidRenewalGetsError() throws Exception {
        fleet.domain("badrenew.example");
        Node stored = fleet.node("n1", "badrenew.example");
        TestNode node = node(stored);
        node.connect(address);
        node.awaitMessage(DesiredState.class);

        node.session().send(new RenewRequest("-----BEGIN CERTIFICATE REQUEST-----\ngarbage\n"
                + "-----END CERTIFICATE REQUEST-----\n"));
        RenewResponse response = node.awaitMessage(RenewResponse.class);

        assertThat(response.chainPem()).isNull();
        assertThat(response.error()).startsWith("Renewal failed");
    }

    @Test
    void profileChangePushesNewState() throws Exception {
        fleet.domain("push.example");
        fleet.setDomainValue("push.example", PID, "port", 1);
        Node stored = fleet.node("n1", "push.example");
        TestNode node = node(stored);
        node.connect(address);
        DesiredState first = node.awaitMessage(DesiredState.class);

        fleet.setDomainValue("push.example", PID, "port", 2);
        plane.changed(FleetChange.domainSubtree("push.example"));
        DesiredState second = node.awaitMessage(DesiredState.class);

        DesiredStateDocument document = DesiredStateDocument.parse(pki.stateVerifier().verify(second.envelope())
                .payload());
        assertThat(second.revision()).isGreaterThan(first.revision());
        assertThat(document.configurations().get(PID)).containsEntry("port", ProfileValue.ofLong(2));
    }

    @Test
    void changeRecompilesOnlyAffectedNodes() throws Exception {
        fleet.domain("a.only.example");
        fleet.domain("b.only.example");
        Node inA = fleet.node("n1", "a.only.example");
        Node inB = fleet.node("n1", "b.only.example");
        plane.changed(FleetChange.node(inA.id()));
        plane.changed(FleetChange.node(inB.id()));
        assertThat(plane.awaitCompiled(WAIT)).as("compiled within %s", WAIT).isTrue();
        long revisionOfB = desiredRevision(inB);

        fleet.setDomainValue("b.only.example", PID, "port", 1);
        fleet.setDomainValue("a.only.example", PID, "port", 1);
        plane.changed(FleetChange.domainSubtree("a.only.example"));
        assertThat(plane.awaitCompiled(WAIT)).as("compiled within %s", WAIT).isTrue();

        assertThat(desiredRevision(inB)).as("revision of the node outside the changed subtree").isEqualTo(revisionOfB);
        assertThat(desiredRevision(inA)).isGreaterThan(revisionOfB);
    }

    @Test
    void tagChangeReachesNodesThatReadIt() throws Exception {
        fleet.domain("attr.example");
        fleet.domain("a.attr.example");
        fleet.domain("b.attr.example");
        Node web = fleet.node("web", "a.attr.example");
        Node camera = fleet.node("cam", "a.attr.example");
        Node far = fleet.node("far", "b.attr.example");
        List.of(web, camera, far).forEach(node -> plane.changed(FleetChange.node(node.id())));
        assertThat(plane.awaitCompiled(WAIT)).as("compiled within %s", WAIT).isTrue();
        TestNode webNode = node(web);
        webNode.connect(address);
        DesiredState before = webNode.awaitMessage(DesiredState.class);
        long revisionOfFar = desiredRevision(far);

        fleet.setTags(camera, Set.of("quarantine"));
        plane.changed(FleetChange.node(camera.id()));
        DesiredState after = webNode.awaitMessage(DesiredState.class);
        assertThat(plane.awaitCompiled(WAIT)).as("compiled within %s", WAIT).isTrue();

        DesiredStateDocument document = DesiredStateDocument.parse(pki.stateVerifier().verify(after.envelope())
                .payload());
        assertThat(after.revision()).isGreaterThan(before.revision());
        assertThat(document.peers()).extracting(peer -> peer.name().toString())
                .containsExactly("cam.a.attr.example", "web.a.attr.example");
        assertThat(document.peers().get(0).tags()).containsExactly(Tag.of("quarantine"));
        assertThat(desiredRevision(camera)).as("revision of the changed node").isGreaterThan(before.revision());
        assertThat(desiredRevision(far)).as("revision of a node whose rules do not read the tag")
                .isEqualTo(revisionOfFar);
    }

    @Test
    void secondSessionReplacesFirst() throws Exception {
        fleet.domain("twice.example");
        Node stored = fleet.node("n1", "twice.example");
        TestNode first = node(stored);
        TestNode second = node(stored);
        first.connect(address);
        first.awaitMessage(DesiredState.class);

        second.connect(address);
        second.awaitMessage(DesiredState.class);

        first.awaitClosed();
        assertThat(plane.isOnline(stored.id())).isTrue();
        assertThat(plane.onlineCount()).isGreaterThanOrEqualTo(1);
    }

    private TestNode node(Node stored) {
        return track(TestNode.withCertificate(pki, stored.name(), stored.domain(), stored.id()));
    }

    private TestNode track(TestNode node) {
        nodes.add(node);
        return node;
    }

    private static long desiredRevision(Node node) {
        return store.control().findNodeControl(node.id()).orElseThrow().desiredRevision();
    }

    /** Flushes the batched writes until the store contains the applied revision, within {@link #WAIT}. */
    private static NodeControl awaitApplied(Node node, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            plane.flush();
            NodeControl control = store.control().findNodeControl(node.id()).orElseThrow();
            if (control.appliedRevision() >= revision || System.nanoTime() > deadline) {
                return control;
            }
            Thread.sleep(20);
        }
    }
}
