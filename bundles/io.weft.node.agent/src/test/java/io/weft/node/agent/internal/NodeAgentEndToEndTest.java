package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import io.weft.control.ControlSettings;
import io.weft.control.FlowAck;
import io.weft.control.FlowRecord;
import io.weft.control.FlowRecords;
import io.weft.control.Hello;
import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.pki.EnrollmentToken;
import io.weft.pki.KeyPairs;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node agent and a real control server talking mutual TLS on 127.0.0.1. */
class NodeAgentEndToEndTest {

    private static final String PID = "org.example.app";
    private static final String OTHER_NODE_ID = "node-9b1d";
    private static final String OTHER_NODE_NAME = "n2.plant1.acme.example";

    private static TestPki pki;

    @TempDir
    Path temp;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void createCa(@TempDir Path caDirectory) throws IOException {
        pki = TestPki.create(caDirectory.resolve("ca"));
    }

    @AfterEach
    void closeResources() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void connectsAndAppliesPushedState() throws Exception {
        TestManager manager = manager();
        RecordingApplier applier = new RecordingApplier();
        NodeAgent agent = startAgent(enrolledAs(manager.controlAddress()), applier);

        Hello hello = manager.await(Hello.class);
        Status firstStatus = manager.await(Status.class);
        manager.push(TestPki.state(1, PID, "port", 8443));
        StateAck ack = manager.await(StateAck.class);
        Status secondStatus = manager.await(Status.class);

        assertThat(hello.appliedRevision()).isZero();
        assertThat(hello.weftVersion()).isEqualTo("1.0.0-test");
        assertThat(firstStatus.appliedRevision()).isZero();
        assertThat(ack).isEqualTo(StateAck.applied(1));
        assertThat(secondStatus.appliedRevision()).isEqualTo(1);
        assertThat(secondStatus.extensions()).containsEntry("skippedPids", "[]");
        assertThat(applier.revisions()).containsExactly(1L);
        assertThat(temp.resolve("state").resolve(StateStore.STATE_FILE)).exists();
        NodeStatus status = agent.status();
        assertThat(status.connectedSince()).isNotNull();
        assertThat(status.appliedRevision()).isEqualTo(1);
        assertThat(status.desiredRevision()).isEqualTo(1);
        assertThat(status.nodeName()).isEqualTo(TestPki.NODE_NAME);
    }

    @Test
    void flowRecordsDropOldestAndReachManager() throws Exception {
        TestManager manager = manager();
        NodeAgent agent = newAgent(enrolledAs(manager.controlAddress()), new RecordingApplier());
        for (int i = 1; i <= 6; i++) {
            agent.recordFlow(new FlowEvent(FlowRecord.Event.CLOSED, FlowRecord.End.SOURCE, "a.east.acme.example",
                    "b.east.acme.example", "service-" + i, 8000 + i, "allow-all", Instant.ofEpochMilli(1_000 * i),
                    Duration.ofMillis(5), 100, 200));
        }

        agent.start();
        FlowRecords batch = manager.await(FlowRecords.class);
        manager.send(new FlowAck(batch.lastSequence()));
        await(() -> agent.flowStatus().buffered() == 0, "the agent to discard the acknowledged records");

        assertThat(batch.records()).extracting(FlowRecord::sequence).containsExactly(3L, 4L, 5L, 6L);
        assertThat(batch.records()).extracting(FlowRecord::service).first().isEqualTo("service-3");
        assertThat(batch.droppedTotal()).as("records dropped from the full buffer").isEqualTo(2);
        assertThat(batch.records().get(0).bytesToDestination()).isEqualTo(100);
        assertThat(batch.records().get(0).startedAtMillis()).isEqualTo(3_000);
        assertThat(agent.flowStatus()).isEqualTo(new FlowRecordSink.Status(0, 4, 2, 4));
        assertThat(agent.recentFlows()).as("recent events after the acknowledgement, newest first")
                .extracting(FlowEvent::service).containsExactly("service-6", "service-5", "service-4", "service-3",
                        "service-2", "service-1");
    }

    @Test
    void callRecordReachesManagerWithItsFacts() throws Exception {
        TestManager manager = manager();
        NodeAgent agent = newAgent(enrolledAs(manager.controlAddress()), new RecordingApplier());
        agent.recordFlow(new FlowEvent(FlowRecord.Event.DENIED, FlowRecord.End.DESTINATION, "a.east.acme.example",
                "b.east.acme.example", "edge-api", 0, "deny-greet", Instant.ofEpochMilli(1_000), Duration.ofMillis(3),
                15, 0, new FlowEvent.Call("hello", "greet", "client:ci", "a.east.acme.example", 403)));

        agent.start();
        FlowRecords batch = manager.await(FlowRecords.class);

        FlowRecord record = batch.records().get(0);
        assertThat(record.kind()).isEqualTo(FlowRecord.Kind.CALL);
        assertThat(record.action()).isEqualTo(FlowRecord.Action.DENY);
        assertThat(record.app()).isEqualTo("hello");
        assertThat(record.operation()).isEqualTo("greet");
        assertThat(record.caller()).isEqualTo("client:ci");
        assertThat(record.via()).isEqualTo("a.east.acme.example");
        assertThat(record.status()).isEqualTo(403);
        assertThat(record.rule()).isEqualTo("deny-greet");
    }

    @Test
    void rejectsOlderAndForgedStates() throws Exception {
        TestManager manager = manager();
        RecordingApplier applier = new RecordingApplier();
        startAgent(enrolledAs(manager.controlAddress()), applier);
        manager.await(Status.class);

        manager.push(TestPki.state(3, PID, "port", 1));
        StateAck applied = manager.await(StateAck.class);
        manager.push(TestPki.state(2, PID, "port", 2));
        StateAck older = manager.await(StateAck.class);
        manager.push(4, pki.signStateAsNode(TestPki.state(4, PID, "port", 3)));
        StateAck forged = manager.await(StateAck.class);

        assertThat(applied).isEqualTo(StateAck.applied(3));
        assertThat(older.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(older.reason()).contains("lower than the applied revision 3");
        assertThat(forged.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(forged.reason()).startsWith("the signature is invalid");
        assertThat(applier.revisions()).containsExactly(3L);
    }

    @Test
    void restartWithoutManagerKeepsStateAndReconnectsLater() throws Exception {
        TestManager manager = manager();
        NodeIdentity identity = enrolledAs(manager.controlAddress());
        NodeAgent first = startAgent(identity, new RecordingApplier());
        manager.await(Status.class);
        manager.push(TestPki.state(4, PID, "port", 1));
        manager.await(StateAck.class);
        first.close();
        manager.close();

        RecordingApplier applier = new RecordingApplier();
        NodeAgent second = startAgent(identity, applier);
        await(() -> second.status().lastError() != null, "a connection error while the manager is down");
        NodeStatus offline = second.status();
        TestManager restarted = track(TestManager.restart(pki, manager.port()));
        Hello hello = restarted.await(Hello.class);

        assertThat(applier.revisions()).containsExactly(4L);
        assertThat(offline.appliedRevision()).isEqualTo(4);
        assertThat(offline.connectedSince()).isNull();
        assertThat(offline.lastError()).startsWith("connecting to " + manager.controlAddress() + " failed");
        assertThat(hello.appliedRevision()).isEqualTo(4);
    }

    @Test
    void revokedNodeStatusNamesRejectedCertificate() throws Exception {
        TestManager manager = manager();
        NodeIdentity identity = enrolledAs(manager.controlAddress());
        NodeAgent agent = startAgent(identity, new RecordingApplier());
        manager.await(Status.class);
        manager.close();
        await(() -> agent.status().lastError() != null, "the error of the closed connection");
        BigInteger serial = identity.chain().get(0).getSerialNumber();

        track(TestManager.restartRevoking(pki, manager.port(), Set.of(serial)));
        await(() -> agent.status().lastError().contains("certificate (serial"), "the rejected certificate in the status");

        String lastError = agent.status().lastError();
        assertThat(lastError).as("last error").contains("serial " + serial.toString(16));
        assertThat(lastError).as("last error").contains("weft:enroll");
    }

    @Test
    void revokedNodeStatusKeepsManagersReason() throws Exception {
        Set<BigInteger> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TestManager manager = track(TestManager.startRevoking(pki, revoked));
        NodeIdentity identity = enrolledAs(manager.controlAddress());
        NodeAgent agent = startAgent(identity, new RecordingApplier());
        ControlSession session = manager.awaitSession();
        manager.await(Status.class);
        BigInteger serial = identity.chain().get(0).getSerialNumber();

        revoked.add(serial);
        session.send(new ErrorMessage(ErrorMessage.NODE_REVOKED, "Node n1 is revoked. Create a new node record."));
        session.close();
        await(() -> String.valueOf(agent.status().lastError()).contains("now rejects"),
                "a rejected attempt after the revocation");

        String lastError = agent.status().lastError();
        assertThat(lastError).as("last error").contains("Node n1 is revoked. Create a new node record.");
        assertThat(lastError).as("last error").contains("serial " + serial.toString(16));
    }

    @Test
    void renewsDueCertificateAndReconnectsWithIt() throws Exception {
        TestManager manager = manager();
        NodeIdentity fresh = enrolledAs(manager.controlAddress());
        KeyPair keys = KeyPairs.generateNodeKeyPair(TestPki.RANDOM);
        // notBefore lies 5 minutes back, so two thirds of a 7-minute validity have passed.
        NodeIdentity due = fresh.withKeyAndChain(keys.getPrivate(),
                pki.nodeChain(keys, TestPki.NODE_ID, Duration.ofMinutes(2)));
        NodeAgent agent = startAgent(due, new RecordingApplier());

        ControlSession first = manager.awaitSession();
        ControlSession second = manager.awaitSession();

        assertThat(first.peerCertificate().getSerialNumber()).isEqualTo(due.certificate().getSerialNumber());
        assertThat(second.peerCertificate().getSerialNumber()).isNotEqualTo(due.certificate().getSerialNumber());
        NodeIdentity stored = new IdentityStore(temp.resolve("identity")).load();
        assertThat(stored.certificate()).isEqualTo(second.peerCertificate());
        assertThat(stored.key().getEncoded()).isNotEqualTo(keys.getPrivate().getEncoded());
        await(() -> stored.serialHex().equals(agent.status().certificateSerial()), "the renewed serial in status");
    }

    @Test
    void enrollCommandPathStoresIdentityAndConnects() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        enrollment.controlAddress = manager.controlAddress();
        NodeAgent agent = startAgent(null, new RecordingApplier());
        String token = EnrollmentToken.generate(enrollment.url(), manager.controlAddress(), pki.ca.rootFingerprint(),
                TestPki.NODE_ID, Instant.now().plus(Duration.ofHours(1)), TestPki.RANDOM).encode();

        EnrollmentResult result = agent.enroll(token, false);
        ControlSession session = manager.awaitSession();

        assertThat(result.nodeId()).isEqualTo(TestPki.NODE_ID);
        assertThat(result.controlAddress()).isEqualTo(manager.controlAddress());
        assertThat(session.peerCertificate().getSerialNumber().toString(16)).isEqualTo(result.certificateSerial());
        assertThat(new IdentityStore(temp.resolve("identity")).load().serialHex())
                .isEqualTo(result.certificateSerial());
    }

    @Test
    void enrollingAgainKeepsDesiredState() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        enrollment.controlAddress = manager.controlAddress();
        NodeIdentity old = enrolledAs(manager.controlAddress());
        RecordingApplier applier = new RecordingApplier();
        NodeAgent agent = startAgent(old, applier);
        manager.awaitSession();
        manager.push(TestPki.state(4, PID, "port", 1));
        manager.await(StateAck.class);
        String token = EnrollmentToken.generate(enrollment.url(), manager.controlAddress(), pki.ca.rootFingerprint(),
                TestPki.NODE_ID, Instant.now().plus(Duration.ofHours(1)), TestPki.RANDOM).encode();

        EnrollmentResult result = agent.enroll(token, false);
        ControlSession session = manager.awaitSession();
        Hello hello = manager.await(Hello.class);

        assertThat(result.certificateSerial()).isNotEqualTo(old.serialHex());
        assertThat(session.peerCertificate().getSerialNumber().toString(16)).isEqualTo(result.certificateSerial());
        assertThat(hello.appliedRevision()).isEqualTo(4);
        assertThat(agent.status().appliedRevision()).isEqualTo(4);
        assertThat(temp.resolve("state").resolve(StateStore.STATE_FILE)).exists();
        assertThat(applier.revisions()).containsExactly(4L);
    }

    @Test
    void tokenOfAnotherNodeIsRejectedWithoutContact() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        NodeIdentity old = enrolledAs(manager.controlAddress());
        NodeAgent agent = startAgent(old, new RecordingApplier());
        manager.awaitSession();
        manager.push(TestPki.state(4, PID, "port", 1));
        manager.await(StateAck.class);
        String token = token(enrollment, manager.controlAddress(), OTHER_NODE_ID);

        assertThatThrownBy(() -> agent.enroll(token, false))
                .isInstanceOfSatisfying(EnrollmentException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageStartingWith("This node is enrolled as node '" + TestPki.NODE_NAME + "' (id "
                        + TestPki.NODE_ID + "), but the token is for another node record, id " + OTHER_NODE_ID + ".")
                .hasMessageContaining("weft:node-revoke " + TestPki.NODE_NAME)
                .hasMessageContaining("weft:enroll --force <token>");

        assertThat(enrollment.requests).as("requests to the manager").isEmpty();
        assertThat(new IdentityStore(temp.resolve("identity")).load().serialHex()).as("stored serial")
                .isEqualTo(old.serialHex());
        assertThat(agent.status().nodeId()).as("node id in the status").isEqualTo(TestPki.NODE_ID);
        assertThat(agent.status().appliedRevision()).as("applied revision").isEqualTo(4);
        assertThat(temp.resolve("state").resolve(StateStore.STATE_FILE)).exists();
    }

    @Test
    void forceReplacesIdentityAndDiscardsState() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        enrollment.controlAddress = manager.controlAddress();
        enrollment.nodeName = OTHER_NODE_NAME;
        RecordingApplier applier = new RecordingApplier();
        NodeAgent agent = startAgent(enrolledAs(manager.controlAddress()), applier);
        manager.awaitSession();
        manager.push(TestPki.state(4, PID, "port", 1));
        manager.await(StateAck.class);

        EnrollmentResult result = agent.enroll(token(enrollment, manager.controlAddress(), OTHER_NODE_ID), true);
        ControlSession session = manager.awaitSession();
        Hello hello = manager.await(Hello.class);

        assertThat(result.nodeId()).isEqualTo(OTHER_NODE_ID);
        assertThat(result.nodeName()).isEqualTo(OTHER_NODE_NAME);
        NodeIdentity stored = new IdentityStore(temp.resolve("identity")).load();
        assertThat(stored.record().nodeId()).as("stored node id").isEqualTo(OTHER_NODE_ID);
        assertThat(stored.serialHex()).as("stored serial").isEqualTo(result.certificateSerial());
        assertThat(session.peerCertificate().getSerialNumber().toString(16)).isEqualTo(result.certificateSerial());
        assertThat(hello.appliedRevision()).as("applied revision that the new node reports").isZero();
        assertThat(agent.status().appliedRevision()).as("applied revision in the status").isZero();
        assertThat(temp.resolve("state").resolve(StateStore.STATE_FILE)).doesNotExist();
    }

    @Test
    void unloadableIdentityKeepsItsNodeId() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        enrollment.controlAddress = manager.controlAddress();
        new IdentityStore(temp.resolve("identity")).save(enrolledAs(manager.controlAddress()));
        Files.delete(temp.resolve("identity").resolve(IdentityStore.KEY_FILE));
        NodeAgent agent = startAgent(null, new RecordingApplier());
        await(() -> agent.status().identityProblem() != null, "the identity problem in the status");
        String otherToken = token(enrollment, manager.controlAddress(), OTHER_NODE_ID);

        assertThatThrownBy(() -> agent.enroll(otherToken, false))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("(id " + TestPki.NODE_ID + ")")
                .hasMessageContaining("id " + OTHER_NODE_ID);
        assertThat(enrollment.requests).as("requests to the manager").isEmpty();

        EnrollmentResult result = agent.enroll(token(enrollment, manager.controlAddress(), TestPki.NODE_ID), false);

        assertThat(result.nodeId()).as("node id after enrolling for the stored node id").isEqualTo(TestPki.NODE_ID);
        assertThat(new IdentityStore(temp.resolve("identity")).load().serialHex()).isEqualTo(result.certificateSerial());
    }

    @Test
    void expiredTokenFileIsKeptAndNotRetried() throws Exception {
        String token = EnrollmentToken.generate(java.net.URI.create("https://127.0.0.1:9/enroll"), "127.0.0.1:9",
                pki.ca.rootFingerprint(), TestPki.NODE_ID, Instant.now().minusSeconds(1), TestPki.RANDOM).encode();
        Files.writeString(temp.resolve("weft-enroll.token"), token);

        NodeAgent agent = startAgent(null, new RecordingApplier());
        agent.close();

        assertThat(temp.resolve("weft-enroll.token")).exists();
        assertThat(temp.resolve("identity")).doesNotExist();
        assertThat(agent.status().enrolled()).isFalse();
    }

    @Test
    void tokenFileEnrollsAndIsDeleted() throws Exception {
        TestManager manager = manager();
        EnrollmentServer enrollment = track(new EnrollmentServer(pki));
        enrollment.controlAddress = manager.controlAddress();
        String token = EnrollmentToken.generate(enrollment.url(), manager.controlAddress(), pki.ca.rootFingerprint(),
                TestPki.NODE_ID, Instant.now().plus(Duration.ofHours(1)), TestPki.RANDOM).encode();
        Files.writeString(temp.resolve("weft-enroll.token"), token + "\n");

        startAgent(null, new RecordingApplier());
        ControlSession session = manager.awaitSession();

        assertThat(session.peerCertificate().getSerialNumber().toString(16))
                .isEqualTo(new IdentityStore(temp.resolve("identity")).load().serialHex());
        assertThat(temp.resolve("weft-enroll.token")).doesNotExist();
    }

    private static String token(EnrollmentServer enrollment, String controlAddress, String nodeId) {
        return EnrollmentToken.generate(enrollment.url(), controlAddress, pki.ca.rootFingerprint(), nodeId,
                Instant.now().plus(Duration.ofHours(1)), TestPki.RANDOM).encode();
    }

    private TestManager manager() throws IOException {
        return track(TestManager.start(pki));
    }

    private NodeIdentity enrolledAs(String controlAddress) {
        return pki.nodeIdentity(controlAddress);
    }

    /** Starts an agent in the test's directory, with {@code identity} stored first unless it is null. */
    private NodeAgent startAgent(NodeIdentity identity, StateApplier applier) throws IOException {
        NodeAgent agent = newAgent(identity, applier);
        agent.start();
        return agent;
    }

    /** Creates an agent that keeps at most 4 flow records, without starting it. */
    private NodeAgent newAgent(NodeIdentity identity, StateApplier applier) throws IOException {
        if (identity != null) {
            new IdentityStore(temp.resolve("identity")).save(identity);
        }
        NodeAgent.Settings settings = new NodeAgent.Settings(temp.resolve("identity"), temp.resolve("state"),
                temp.resolve("weft-enroll.token"), "1.0.0-test", ControlSettings.defaults(), 4);
        return track(new NodeAgent(settings, applier, Clock.systemUTC(), System::nanoTime,
                TestPki.RANDOM, () -> 1_000));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Polls {@code condition} every 20 ms for at most {@link TestManager#WAIT}. */
    private static void await(BooleanSupplier condition, String description) throws InterruptedException {
        long deadline = System.nanoTime() + TestManager.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting %s for %s", TestManager.WAIT, description)
                    .isNegative();
            Thread.sleep(20);
        }
    }
}
