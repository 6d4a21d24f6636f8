package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void helloRejectsMissingVersionRange() {
        assertThatThrownBy(() -> new Hello(null, "1.0.0", 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("protocolVersions is missing");
    }

    @Test
    void helloRejectsNegativeUptime() {
        assertThatThrownBy(() -> new Hello(VersionRange.of(1), "1.0.0", 0, -1))
                .hasMessage("uptimeMillis must not be negative, but is -1");
    }

    @Test
    void helloAckAcceptRequiresInterval() {
        assertThatThrownBy(() -> HelloAck.accept(1, 0))
                .hasMessage("heartbeatIntervalSeconds must be at least 1, but is 0");
    }

    @Test
    void helloAckRejectRequiresReason() {
        assertThatThrownBy(() -> HelloAck.reject(""))
                .hasMessage("reason is missing or blank");
    }

    @Test
    void helloAckRejectsReasonWhenAccepted() {
        assertThatThrownBy(() -> new HelloAck(true, 1, 30, "why"))
                .hasMessage("reason must be null when the HELLO is accepted");
    }

    @Test
    void desiredStateCopiesEnvelope() {
        byte[] envelope = {1, 2, 3};
        DesiredState state = new DesiredState(5, envelope);

        envelope[0] = 9;
        state.envelope()[1] = 9;

        assertThat(state.envelope()).containsExactly(1, 2, 3);
        assertThat(state.envelopeLength()).isEqualTo(3);
        assertThat(state).isEqualTo(new DesiredState(5, new byte[] {1, 2, 3}));
        assertThat(state).hasSameHashCodeAs(new DesiredState(5, new byte[] {1, 2, 3}));
        assertThat(state.toString()).isEqualTo("DesiredState[revision=5, envelope=3 bytes]");
    }

    @Test
    void desiredStateRejectsEmptyEnvelope() {
        assertThatThrownBy(() -> new DesiredState(1, new byte[0])).hasMessage("envelope is empty");
    }

    @Test
    void stateAckRejectedRequiresReason() {
        assertThatThrownBy(() -> StateAck.rejected(3, null)).hasMessage("reason is missing or blank");
    }

    @Test
    void stateAckAppliedTakesNoReason() {
        assertThatThrownBy(() -> new StateAck(3, StateAck.Outcome.APPLIED, "fine"))
                .hasMessage("reason must be null when the state is applied");
    }

    @Test
    void renewResponseNeedsExactlyOneField() {
        assertThatThrownBy(() -> new RenewResponse("chain", "error"))
                .hasMessage("exactly one of chainPem and error must be set");
        assertThatThrownBy(() -> new RenewResponse(null, null))
                .hasMessage("exactly one of chainPem and error must be set");
    }

    @Test
    void statusCopiesExtensions() {
        Map<String, String> extensions = new HashMap<>(Map.of("tunnels", "3"));
        Status status = new Status("1.0.0", 1, 0, extensions);

        extensions.put("late", "x");

        assertThat(status.extensions()).containsExactly(Map.entry("tunnels", "3"));
        assertThat(status.extensions()).isUnmodifiable();
    }

    @Test
    void statusRejectsNullExtensionValue() {
        Map<String, String> extensions = new HashMap<>();
        extensions.put("tunnels", null);

        assertThatThrownBy(() -> new Status("1.0.0", 1, 0, extensions))
                .hasMessage("extensions must not contain null keys or values");
    }

    @Test
    void errorMessageRejectsInvalidCode() {
        assertThatThrownBy(() -> new ErrorMessage("Protocol Violation", "text"))
                .hasMessage("code 'Protocol Violation' is invalid: use 1 to 64 lower-case letters, digits and "
                        + "hyphens, starting with a letter");
    }

    @Test
    void flowRecordsRejectDecreasingSequence() {
        FlowRecord second = flowRecord(2);
        FlowRecord first = flowRecord(1);

        assertThatThrownBy(() -> new FlowRecords(1, java.util.List.of(second, first), 0))
                .hasMessage("records must have increasing sequence numbers, but 1 follows 2");
    }

    @Test
    void flowRecordsRejectOversizedBatch() {
        java.util.List<FlowRecord> records = new java.util.ArrayList<>();
        for (int i = 1; i <= FlowRecords.MAX_RECORDS + 1; i++) {
            records.add(flowRecord(i));
        }

        assertThatThrownBy(() -> new FlowRecords(1, records, 0))
                .hasMessage("records has 401 entries, but a batch has 1 to 400");
    }

    @Test
    void flowRecordRejectsDeniedEventThatAllows() {
        assertThatThrownBy(() -> new FlowRecord(1, FlowRecord.Event.DENIED, FlowRecord.End.SOURCE, "a.x", "b.x", "db",
                5432,                FlowRecord.Action.ALLOW, "r", 1, 0, 0, 0))
                .hasMessage("action ALLOW does not match event DENIED: a DENIED event has action DENY, and the other"
                        + " events ALLOW");
    }

    @Test
    void flowFrameTypesHaveFixedCodes() {
        assertThat(FrameType.FLOW_RECORDS.code()).isEqualTo(13);
        assertThat(FrameType.FLOW_RECORDS.sender()).isEqualTo(FrameType.Sender.NODE);
        assertThat(FrameType.FLOW_ACK.code()).isEqualTo(14);
        assertThat(FrameType.FLOW_ACK.sender()).isEqualTo(FrameType.Sender.MANAGER);
    }

    @Test
    void streamRecordRejectsCallFacts() {
        assertThatThrownBy(() -> new FlowRecord(1, FlowRecord.Event.CLOSED, FlowRecord.End.SOURCE, "a.x", "b.x", "db",
                5432, FlowRecord.Action.ALLOW, "r", 1, 0, 0, 0, FlowRecord.Kind.STREAM, "hello", "greet", null, null,
                200)).hasMessageStartingWith("A STREAM record has no app, operation, caller, via or status");
    }

    @Test
    void callRecordRejectsOpenedEvent() {
        assertThatThrownBy(() -> callRecord(FlowRecord.Event.OPENED, 0, 200))
                .hasMessageStartingWith("A CALL record has event CLOSED or DENIED, but has OPENED");
    }

    @Test
    void callRecordRejectsPort() {
        assertThatThrownBy(() -> callRecord(FlowRecord.Event.CLOSED, 8543, 200))
                .hasMessage("port must be 0 in a CALL record, but is 8543");
    }

    @Test
    void callRecordRejectsInvalidStatus() {
        assertThatThrownBy(() -> callRecord(FlowRecord.Event.CLOSED, 0, 99))
                .hasMessage("status must be an HTTP status from 100 to 599, but is 99");
        assertThatThrownBy(() -> callRecord(FlowRecord.Event.CLOSED, 0, null)).hasMessage("status is missing");
    }

    @Test
    void callRecordRequiresAppAndOperation() {
        assertThatThrownBy(() -> new FlowRecord(1, FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION, "a.x", "b.x",
                "edge-api", 0, FlowRecord.Action.ALLOW, null, 1, 0, 0, 0, FlowRecord.Kind.CALL, null, "greet", null,
                null, 200)).hasMessage("app is missing or blank");
        assertThatThrownBy(() -> new FlowRecord(1, FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION, "a.x", "b.x",
                "edge-api", 0, FlowRecord.Action.ALLOW, null, 1, 0, 0, 0, FlowRecord.Kind.CALL, "hello", " ", null,
                null, 200)).hasMessage("operation is missing or blank");
    }

    @Test
    void callRecordAcceptsMissingCaller() {
        FlowRecord unauthenticated = new FlowRecord(1, FlowRecord.Event.DENIED, FlowRecord.End.DESTINATION, "a.x",
                "a.x", "edge-api", 0, FlowRecord.Action.DENY, null, 1, 0, 0, 0, FlowRecord.Kind.CALL, "hello", "greet",
                null, null, 401);

        assertThat(unauthenticated.caller()).isNull();
    }

    private static FlowRecord callRecord(FlowRecord.Event event, int port, Integer status) {
        FlowRecord.Action action = event == FlowRecord.Event.DENIED ? FlowRecord.Action.DENY : FlowRecord.Action.ALLOW;
        return new FlowRecord(1, event, FlowRecord.End.DESTINATION, "a.x", "b.x", "edge-api", port, action, "r", 1, 0,
                0, 0, FlowRecord.Kind.CALL, "hello", "greet", "client:ci", null, status);
    }

    private static FlowRecord flowRecord(long sequence) {
        return new FlowRecord(sequence, FlowRecord.Event.OPENED, FlowRecord.End.SOURCE, "a.x", "b.x", "db", 5432,
                FlowRecord.Action.ALLOW, "r", 1, 0, 0, 0);
    }

    @Test
    void frameTypeCodesAreUniqueAndFound() {
        for (FrameType type : FrameType.values()) {
            assertThat(FrameType.fromCode(type.code())).contains(type);
        }
        assertThat(FrameType.fromCode(0)).isEmpty();
        assertThat(FrameType.fromCode(FrameType.maxCode() + 1)).isEmpty();
        assertThat(FrameType.fromCode(-1)).isEmpty();
        assertThat(FrameType.fromCode(256)).isEmpty();
    }
}
