package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolEncoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ControlCodecTest {

    private final ControlCodecFactory codec = new ControlCodecFactory(1024);
    private final ProtocolCodecSession session = new ProtocolCodecSession();

    static List<ControlMessage> everyMessageType() {
        return List.of(
                new Hello(new VersionRange(1, 3), "1.4.2", 41, 86_400_000L),
                HelloAck.accept(2, 30),
                HelloAck.reject("No common control protocol version"),
                new Heartbeat(7),
                new HeartbeatAck(7),
                new Status("1.4.2", 5_000, 41, Map.of("tunnels", "3", "disk", "{\"freeBytes\":1024}")),
                new DesiredState(42, new byte[] {0, 1, 2, (byte) 0xFF}),
                StateAck.applied(42),
                StateAck.rejected(42, "signature does not verify"),
                new RenewRequest("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
                RenewResponse.issued("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
                RenewResponse.failed("the node is revoked"),
                new ErrorMessage(ErrorMessage.PROTOCOL_VIOLATION, "expected HELLO"),
                new FlowRecords(912_345_678_901L, List.of(
                        new FlowRecord(7, FlowRecord.Event.CLOSED, FlowRecord.End.SOURCE, "edge-a.east.acme.example",
                                "edge-b.east.acme.example", "postgres", 5432, FlowRecord.Action.ALLOW, "allow-db",
                                1_733_000_000_000L, 1_500, 16_777_216, 42),
                        new FlowRecord(8, FlowRecord.Event.DENIED, FlowRecord.End.DESTINATION,
                                "edge-c.east.acme.example", "edge-b.east.acme.example", "postgres", 5432,
                                FlowRecord.Action.DENY, null, 1_733_000_000_100L, 0, 0, 0)), 3),
                new FlowRecords(912_345_678_901L, List.of(
                        new FlowRecord(9, FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION,
                                "edge-a.east.acme.example", "edge-b.east.acme.example", "edge-api", 0,
                                FlowRecord.Action.ALLOW, "allow-readings", 1_733_000_000_200L, 40, 12, 345,
                                FlowRecord.Kind.CALL, "sensor-feed", "readings", "client:hello-client",
                                "edge-a.east.acme.example", 200),
                        new FlowRecord(10, FlowRecord.Event.DENIED, FlowRecord.End.DESTINATION,
                                "edge-b.east.acme.example", "edge-b.east.acme.example", "edge-api", 0,
                                FlowRecord.Action.DENY, null, 1_733_000_000_300L, 2, 0, 0, FlowRecord.Kind.CALL,
                                "hello", "greet", null, null, 401)), 3),
                new FlowAck(8),
                new ArtifactRequest("ab".repeat(32), 262_144, ArtifactRequest.MAX_CHUNK_BYTES),
                new ArtifactChunk("cd".repeat(32), 3, 10, new byte[] {0, 1, 2, (byte) 0xFF}),
                new ArtifactChunk("cd".repeat(32), 0, 0, new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void roundTripsEveryMessageType(ControlMessage message) throws Exception {
        byte[] frame = encode(message);

        List<Object> decoded = decode(frame);

        assertThat(decoded).containsExactly(message);
        assertThat(frame[4]).isEqualTo((byte) message.type().code());
        assertThat(ByteBuffer.wrap(frame).getInt()).isEqualTo(frame.length - 5);
    }

    @Test
    void decodesWholeFrame() throws Exception {
        Heartbeat heartbeat = new Heartbeat(1);

        assertThat(decode(encode(heartbeat))).containsExactly(heartbeat);
    }

    @Test
    void decodesFrameArrivingByteByByte() throws Exception {
        Hello hello = new Hello(VersionRange.of(1), "1.0.0", 0, 12);
        byte[] frame = encode(hello);
        List<Object> decoded = new ArrayList<>();

        for (int i = 0; i < frame.length; i++) {
            decoded.addAll(decode(new byte[] {frame[i]}));
            if (i < frame.length - 1) {
                assertThat(decoded).as("messages after %d of %d bytes", i + 1, frame.length).isEmpty();
            }
        }

        assertThat(decoded).containsExactly(hello);
    }

    @Test
    void decodesConcatenatedFrames() throws Exception {
        ControlMessage first = new Heartbeat(1);
        ControlMessage second = new DesiredState(9, "envelope".getBytes(StandardCharsets.UTF_8));
        ControlMessage third = StateAck.applied(9);

        List<Object> decoded = decode(concat(encode(first), encode(second), encode(third)));

        assertThat(decoded).containsExactly(first, second, third);
    }

    @Test
    void decodesFramesSplitAcrossChunkBoundaries() throws Exception {
        byte[] stream = concat(encode(new Heartbeat(1)), encode(new Heartbeat(2)), encode(new Heartbeat(3)));
        List<Object> decoded = new ArrayList<>();

        for (int start = 0; start < stream.length; start += 7) {
            decoded.addAll(decode(java.util.Arrays.copyOfRange(stream, start, Math.min(stream.length, start + 7))));
        }

        assertThat(decoded).containsExactly(new Heartbeat(1), new Heartbeat(2), new Heartbeat(3));
    }

    @Test
    void rejectsOversizedLengthFromPrefixAlone() {
        byte[] prefix = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();

        assertThatThrownBy(() -> decode(prefix))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessage("Invalid frame length 2147483647: it exceeds the maximum payload size of 1024 bytes");
    }

    @Test
    void rejectsLengthOneAboveLimit() {
        byte[] header = ByteBuffer.allocate(5).putInt(1025).put((byte) FrameType.STATUS.code()).array();

        assertThatThrownBy(() -> decode(header))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessageContaining("1025")
                .hasMessageContaining("1024 bytes");
    }

    @Test
    void acceptsPayloadAtLimit() throws Exception {
        ControlCodecFactory tight = new ControlCodecFactory(8 + 4);
        DesiredState state = new DesiredState(3, new byte[4]);
        byte[] frame = encode(tight, state);

        List<Object> decoded = decode(tight, frame);

        assertThat(decoded).containsExactly(state);
    }

    @Test
    void rejectsNegativeLength() {
        byte[] prefix = ByteBuffer.allocate(4).putInt(-1).array();

        assertThatThrownBy(() -> decode(prefix))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessage("Invalid frame length 4294967295: it exceeds the maximum payload size of 1024 bytes");
    }

    @Test
    void rejectsUnknownTypeBeforePayloadArrives() {
        byte[] header = ByteBuffer.allocate(5).putInt(100).put((byte) 42).array();

        assertThatThrownBy(() -> decode(header))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessage("Unknown frame type 42: known types are 1 to 14");
    }

    @Test
    void rejectsTypeZero() {
        byte[] frame = frame(0, new byte[0]);

        assertThatThrownBy(() -> decode(frame)).hasMessage("Unknown frame type 0: known types are 1 to 14");
    }

    @Test
    void rejectsZeroLengthJsonPayload() {
        byte[] frame = frame(FrameType.HEARTBEAT.code(), new byte[0]);

        assertThatThrownBy(() -> decode(frame))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessage("Invalid HEARTBEAT payload: it is empty");
    }

    @Test
    void rejectsZeroLengthDesiredState() {
        byte[] frame = frame(FrameType.DESIRED_STATE.code(), new byte[0]);

        assertThatThrownBy(() -> decode(frame))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessageStartingWith("Invalid DESIRED_STATE payload: 0 bytes is too short");
    }

    @Test
    void rejectsDesiredStateWithoutEnvelope() {
        byte[] frame = frame(FrameType.DESIRED_STATE.code(), ByteBuffer.allocate(8).putLong(5).array());

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid DESIRED_STATE payload: 8 bytes");
    }

    @Test
    void rejectsDesiredStateWithRevisionZero() {
        byte[] frame = frame(FrameType.DESIRED_STATE.code(), ByteBuffer.allocate(9).putLong(0).put((byte) 1).array());

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("revision must be at least 1, but is 0");
    }

    @Test
    void rejectsArtifactChunkShorterThanHeader() {
        byte[] frame = frame(FrameType.ARTIFACT_CHUNK.code(), new byte[47]);

        assertThatThrownBy(() -> decode(frame))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessageStartingWith("Invalid ARTIFACT_CHUNK payload: 47 bytes is too short");
    }

    @Test
    void rejectsArtifactChunkPastTotalSize() {
        byte[] payload = ByteBuffer.allocate(52).put(new byte[32]).putLong(2).putLong(5).putInt(7).array();

        assertThatThrownBy(() -> decode(frame(FrameType.ARTIFACT_CHUNK.code(), payload)))
                .hasMessageContaining("the chunk ends at byte 6, after the artifact's end at 5");
    }

    @Test
    void rejectsArtifactRequestOverChunkLimit() {
        byte[] frame = json(FrameType.ARTIFACT_REQUEST, "{\"sha256\":\"" + "a".repeat(64)
                + "\",\"offset\":0,\"length\":262145}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("length 262145 is invalid");
    }

    @Test
    void rejectsArtifactRequestWithUpperCaseDigest() {
        byte[] frame = json(FrameType.ARTIFACT_REQUEST, "{\"sha256\":\"" + "A".repeat(64)
                + "\",\"offset\":0,\"length\":1}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("expected 64 lower-case hex digits");
    }

    @Test
    void rejectsMalformedJson() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":");

        assertThatThrownBy(() -> decode(frame))
                .isInstanceOf(ProtocolDecoderException.class)
                .hasMessageStartingWith("Invalid HEARTBEAT payload: ");
    }

    @Test
    void rejectsUnknownField() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":1,\"extra\":true}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("\"extra\"");
    }

    @Test
    void rejectsMissingField() {
        byte[] frame = json(FrameType.STATE_ACK, "{\"revision\":4,\"outcome\":\"APPLIED\"}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("'reason'");
    }

    @Test
    void rejectsDuplicateField() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":1,\"sequence\":2}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("Duplicate field 'sequence'");
    }

    @Test
    void rejectsTrailingContent() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":1} {}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid HEARTBEAT payload: ");
    }

    @Test
    void rejectsStringForNumber() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":\"1\"}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid HEARTBEAT payload: ");
    }

    @Test
    void rejectsFloatForInteger() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":1.5}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid HEARTBEAT payload: ");
    }

    @Test
    void rejectsNullForPrimitive() {
        byte[] frame = json(FrameType.HEARTBEAT, "{\"sequence\":null}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid HEARTBEAT payload: ");
    }

    @Test
    void rejectsNumberAsExtensionValue() {
        byte[] frame = json(FrameType.STATUS,
                "{\"weftVersion\":\"1.0\",\"uptimeMillis\":1,\"appliedRevision\":0,\"extensions\":{\"tunnels\":3}}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid STATUS payload: ");
    }

    @Test
    void rejectsValueThatFailsRecordCheck() {
        byte[] frame = json(FrameType.HELLO_ACK,
                "{\"accepted\":false,\"protocolVersion\":0,\"heartbeatIntervalSeconds\":0,\"reason\":\" \"}");

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("reason is missing or blank");
    }

    @Test
    void rejectsUnknownOutcome() {
        byte[] frame = json(FrameType.STATE_ACK, "{\"revision\":4,\"outcome\":\"MAYBE\",\"reason\":null}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid STATE_ACK payload: ");
    }

    @Test
    void rejectsFlowRecordWithUnknownEvent() {
        byte[] frame = json(FrameType.FLOW_RECORDS, "{\"epoch\":5,\"records\":[{\"sequence\":1,\"event\":\"PAUSED\","
                + "\"end\":\"SOURCE\",\"source\":\"a.x\",\"destination\":\"b.x\",\"service\":\"db\",\"port\":5432,"
                + "\"action\":\"ALLOW\",\"rule\":\"r\",\"startedAtMillis\":1,\"durationMillis\":0,"
                + "\"bytesToDestination\":0,\"bytesToSource\":0,\"kind\":\"STREAM\",\"app\":null,"
                + "\"operation\":null,\"caller\":null,\"via\":null,\"status\":null}],\"droppedTotal\":0}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid FLOW_RECORDS payload: ")
                .hasMessageContaining("PAUSED");
    }

    @Test
    void rejectsFlowRecordOfProtocolVersionOne() {
        byte[] frame = json(FrameType.FLOW_RECORDS, "{\"epoch\":5,\"records\":[{\"sequence\":1,\"event\":\"OPENED\","
                + "\"end\":\"SOURCE\",\"source\":\"a.x\",\"destination\":\"b.x\",\"service\":\"db\",\"port\":5432,"
                + "\"action\":\"ALLOW\",\"rule\":\"r\",\"startedAtMillis\":1,\"durationMillis\":0,"
                + "\"bytesToDestination\":0,\"bytesToSource\":0}],\"droppedTotal\":0}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid FLOW_RECORDS payload: ")
                .hasMessageContaining("'kind'");
    }

    @Test
    void fullCallBatchFitsDefaultFrame() throws Exception {
        List<FlowRecord> records = new ArrayList<>();
        String node = "n".repeat(317);
        for (int i = 1; i <= FlowRecords.MAX_RECORDS; i++) {
            records.add(new FlowRecord(i, FlowRecord.Event.CLOSED, FlowRecord.End.DESTINATION, node, node,
                    "s".repeat(255), 0, FlowRecord.Action.ALLOW, "r".repeat(255), Long.MAX_VALUE, Long.MAX_VALUE,
                    Long.MAX_VALUE, Long.MAX_VALUE, FlowRecord.Kind.CALL, "a".repeat(128), "o".repeat(64),
                    "node:" + node, node, 599));
        }
        FlowRecords batch = new FlowRecords(Long.MAX_VALUE, records, Long.MAX_VALUE);

        byte[] frame = encode(new ControlCodecFactory(), batch);

        assertThat(frame.length - 5).as("payload bytes of %d records", FlowRecords.MAX_RECORDS)
                .isLessThanOrEqualTo(ControlCodecFactory.DEFAULT_MAX_PAYLOAD_BYTES);
    }

    @Test
    void rejectsEmptyFlowBatch() {
        byte[] frame = json(FrameType.FLOW_RECORDS, "{\"epoch\":5,\"records\":[],\"droppedTotal\":0}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid FLOW_RECORDS payload: ")
                .hasMessageContaining("records has 0 entries");
    }

    @Test
    void rejectsFlowAckOfSequenceZero() {
        byte[] frame = json(FrameType.FLOW_ACK, "{\"lastSequence\":0}");

        assertThatThrownBy(() -> decode(frame)).hasMessageStartingWith("Invalid FLOW_ACK payload: ");
    }

    @Test
    void discardsInputAfterFailure() throws Exception {
        byte[] bad = frame(42, new byte[0]);
        assertThatThrownBy(() -> decode(bad)).isInstanceOf(ProtocolDecoderException.class);

        List<Object> later = decode(encode(new Heartbeat(1)));

        assertThat(later).isEmpty();
    }

    @Test
    void encoderRejectsOversizedPayload() {
        ControlCodecFactory tight = new ControlCodecFactory(16);
        DesiredState state = new DesiredState(1, new byte[9]);

        assertThatThrownBy(() -> encode(tight, state))
                .isInstanceOf(ProtocolEncoderException.class)
                .hasMessage("Cannot send DESIRED_STATE: its payload of 17 bytes exceeds the maximum payload size "
                        + "of 16 bytes");
    }

    @Test
    void rejectsMaximumBelowOne() {
        assertThatThrownBy(() -> new ControlCodecFactory(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPayloadBytes must be at least 1, but is 0");
    }

    @Test
    void writesHelloAsJson() throws Exception {
        byte[] frame = encode(new Hello(new VersionRange(1, 2), "1.0.0", 3, 4));

        String payload = new String(frame, 5, frame.length - 5, StandardCharsets.UTF_8);

        assertThat(payload).isEqualTo("{\"protocolVersions\":{\"min\":1,\"max\":2},\"weftVersion\":\"1.0.0\","
                + "\"appliedRevision\":3,\"uptimeMillis\":4}");
    }

    private byte[] encode(ControlMessage message) throws Exception {
        return encode(codec, message);
    }

    private byte[] encode(ControlCodecFactory factory, ControlMessage message) throws Exception {
        factory.getEncoder(session).encode(session, message, session.getEncoderOutput());
        IoBuffer buffer = (IoBuffer) session.getEncoderOutputQueue().poll();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private List<Object> decode(byte[] bytes) throws Exception {
        return decode(codec, bytes);
    }

    private List<Object> decode(ControlCodecFactory factory, byte[] bytes) throws Exception {
        ProtocolDecoder decoder = factory.getDecoder(session);
        decoder.decode(session, IoBuffer.wrap(bytes), session.getDecoderOutput());
        List<Object> decoded = new ArrayList<>(session.getDecoderOutputQueue());
        session.getDecoderOutputQueue().clear();
        return decoded;
    }

    private static byte[] json(FrameType type, String json) {
        return frame(type.code(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] frame(int type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(payload.length).put((byte) type).put(payload).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
