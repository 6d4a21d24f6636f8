package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.control.DesiredState;
import io.weft.control.StateAck;
import io.weft.control.state.DesiredStateDocument;
import io.weft.fleet.ProfileValue;
import io.weft.node.agent.api.AppliedState;
import io.weft.pki.OwnerOnlyFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateProcessorTest {

    private static final String PID = "org.example.app";

    private static TestPki pki;
    private static TestPki otherPki;
    private static NodeIdentity identity;

    @TempDir
    Path temp;

    private StateStore store;
    private RecordingApplier applier;
    private DesiredStateProcessor processor;

    @BeforeAll
    static void createCas(@TempDir Path caDirectory) throws IOException {
        pki = TestPki.create(caDirectory.resolve("ca"));
        otherPki = TestPki.create(caDirectory.resolve("other-ca"));
        identity = pki.nodeIdentity("127.0.0.1:7443");
    }

    @BeforeEach
    void createProcessor() {
        store = new StateStore(temp.resolve("state"));
        applier = new RecordingApplier();
        processor = new DesiredStateProcessor(store, applier, Clock.systemUTC());
    }

    @Test
    void signedStateIsAppliedAndStored() throws IOException {
        DesiredStateDocument document = TestPki.state(3, PID, "port", 8443);
        byte[] envelope = pki.signState(document);

        StateAck ack = processor.receive(identity, new DesiredState(3, envelope));

        assertThat(ack).isEqualTo(StateAck.applied(3));
        assertThat(applier.applied).containsExactly(document);
        assertThat(processor.appliedRevision()).isEqualTo(3);
        assertThat(store.load()).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(envelope));
        assertThat(Files.getPosixFilePermissions(store.file()))
                .isEqualTo(OwnerOnlyFiles.OWNER_READ_WRITE);
    }

    @Test
    void lowerRevisionIsRejected() throws IOException {
        processor.receive(identity, new DesiredState(5, pki.signState(TestPki.state(5, PID, "port", 1))));
        byte[] stored = store.load().orElseThrow();
        byte[] older = pki.signState(TestPki.state(4, PID, "port", 2));

        StateAck ack = processor.receive(identity, new DesiredState(4, older));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(ack.revision()).isEqualTo(4);
        assertThat(ack.reason()).isEqualTo("revision 4 is lower than the applied revision 5, and the node never goes"
                + " back to an older state");
        assertThat(applier.revisions()).containsExactly(5L);
        assertThat(processor.appliedRevision()).isEqualTo(5);
        assertThat(store.load()).hasValueSatisfying(current -> assertThat(current).isEqualTo(stored));
    }

    @Test
    void sameRevisionIsAckedWithoutReapplying() {
        byte[] envelope = pki.signState(TestPki.state(2, PID, "port", 1));
        processor.receive(identity, new DesiredState(2, envelope));

        StateAck ack = processor.receive(identity, new DesiredState(2, envelope));

        assertThat(ack).isEqualTo(StateAck.applied(2));
        assertThat(applier.revisions()).containsExactly(2L);
    }

    @Test
    void modifiedPayloadIsRejected() throws IOException {
        byte[] envelope = pki.signState(TestPki.state(1, PID, "port", 8443));
        String tampered = new String(envelope, StandardCharsets.UTF_8);
        // The payload is Base64 inside the JSON envelope; changing one character changes the signed bytes.
        int payload = tampered.indexOf("\"payload\":\"") + "\"payload\":\"".length() + 10;
        char replacement = tampered.charAt(payload) == 'A' ? 'B' : 'A';
        byte[] modified = (tampered.substring(0, payload) + replacement + tampered.substring(payload + 1))
                .getBytes(StandardCharsets.UTF_8);

        StateAck ack = processor.receive(identity, new DesiredState(1, modified));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(ack.reason()).startsWith("the signature is invalid:");
        assertThat(applier.applied).isEmpty();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void signerWithoutStateSigningUsageIsRejected() {
        byte[] envelope = pki.signStateAsNode(TestPki.state(1, PID, "port", 8443));

        StateAck ack = processor.receive(identity, new DesiredState(1, envelope));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(ack.reason()).startsWith("the signature is invalid: The signer of the document is not trusted")
                .contains("Weft state signing");
        assertThat(applier.applied).isEmpty();
    }

    @Test
    void signerOfAnotherCaIsRejected() {
        byte[] envelope = otherPki.signState(TestPki.state(1, PID, "port", 8443));

        StateAck ack = processor.receive(identity, new DesiredState(1, envelope));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(ack.reason()).startsWith("the signature is invalid: The signer of the document is not trusted");
        assertThat(applier.applied).isEmpty();
    }

    @Test
    void unsignedDocumentIsRejected() {
        byte[] plain = TestPki.state(1, PID, "port", 8443).toJson();

        StateAck ack = processor.receive(identity, new DesiredState(1, plain));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(ack.reason()).startsWith("the signature is invalid:");
        assertThat(applier.applied).isEmpty();
    }

    @Test
    void stateForAnotherNodeIsRejected() {
        DesiredStateDocument other = TestPki.state("node-other", 1, Map.of(PID, Map.of("port",
                ProfileValue.ofLong(1))));

        StateAck ack = processor.receive(identity, new DesiredState(1, pki.signState(other)));

        assertThat(ack.reason()).isEqualTo("the state is for node 'node-other', not for this node 'node-7f3a'");
        assertThat(applier.applied).isEmpty();
    }

    @Test
    void frameRevisionMustMatchSignedRevision() {
        StateAck ack = processor.receive(identity, new DesiredState(9, pki.signState(TestPki.state(2, PID, "p", 1))));

        assertThat(ack).isEqualTo(StateAck.rejected(9, "the signed revision 2 differs from the revision 9 of the"
                + " message"));
        assertThat(applier.applied).isEmpty();
    }

    @Test
    void storedStateIsRestoredAtStart() throws IOException {
        DesiredStateDocument document = new DesiredStateDocument(TestPki.NODE_ID, TestPki.NODE_NAME, 7,
                java.time.Instant.now(), Map.of(PID, Map.of("port", ProfileValue.ofLong(1))), Set.of("1f"),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        store.save(pki.signState(document));

        processor.restore(identity);

        assertThat(applier.applied).containsExactly(document);
        assertThat(processor.appliedRevision()).isEqualTo(7);
        assertThat(processor.revokedSerials()).containsExactly(BigInteger.valueOf(0x1f));
        assertThat(processor.appliedState().signer()).contains(pki.stateSignerCertificate());
    }

    @Test
    void appliedStateCarriesPolicyAndSerials() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode policy =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        policy.putArray("rules").addObject().put("id", "r1");
        DesiredStateDocument document = new DesiredStateDocument(TestPki.NODE_ID, TestPki.NODE_NAME, 4,
                java.time.Instant.now(), Map.of(), Set.of("2a"), policy);

        processor.receive(identity, new DesiredState(4, pki.signState(document)));

        AppliedState state = processor.appliedState();
        assertThat(state.revision()).isEqualTo(4);
        assertThat(state.revokedSerials()).containsExactly(BigInteger.valueOf(0x2a));
        assertThat(state.policyJson()).isEqualTo("{\"rules\":[{\"id\":\"r1\"}]}");
        assertThat(state.hasNoPolicy()).isFalse();
        assertThat(state.signer()).contains(pki.stateSignerCertificate());
    }

    @Test
    void appliedStateBeforeFirstIsNone() {
        assertThat(processor.appliedState()).isEqualTo(AppliedState.NONE);
    }

    @Test
    void tamperedStoredStateIsNotApplied() throws IOException {
        byte[] envelope = pki.signState(TestPki.state(7, PID, "port", 1));
        envelope[envelope.length / 2] ^= 1;
        store.save(envelope);

        processor.restore(identity);

        assertThat(applier.applied).isEmpty();
        assertThat(processor.appliedRevision()).isZero();
    }

    @Test
    void restoredRevisionProtectsAgainstRollback() throws IOException {
        store.save(pki.signState(TestPki.state(7, PID, "port", 1)));
        processor.restore(identity);
        byte[] older = pki.signState(TestPki.state(6, PID, "port", 2));

        StateAck ack = processor.receive(identity, new DesiredState(6, older));

        assertThat(ack.outcome()).isEqualTo(StateAck.Outcome.REJECTED);
        assertThat(applier.revisions()).containsExactly(7L);
    }
}
