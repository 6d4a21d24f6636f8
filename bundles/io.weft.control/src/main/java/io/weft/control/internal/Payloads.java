package io.weft.control.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.weft.control.ArtifactChunk;
import io.weft.control.ArtifactRequest;
import io.weft.control.ControlMessage;
import io.weft.control.DesiredState;
import io.weft.control.ErrorMessage;
import io.weft.control.FlowAck;
import io.weft.control.FlowRecords;
import io.weft.control.FrameType;
import io.weft.control.Heartbeat;
import io.weft.control.HeartbeatAck;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.control.StateAck;
import io.weft.control.Status;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolEncoderException;

/**
 * Converts message records to and from frame payloads. Payloads are strict JSON: unknown,
 * missing or duplicate fields, trailing content, floats for integers and values of the
 * wrong JSON type are rejected. {@link DesiredState} and {@link ArtifactChunk} are the
 * exceptions, with binary payloads.
 */
final class Payloads {

    private static final ObjectMapper MAPPER = strictMapper();
    private static final int SHA256_BYTES = 32;
    private static final int CHUNK_HEADER_BYTES = SHA256_BYTES + 2 * Long.BYTES;

    private Payloads() {
    }

    static byte[] encode(ControlMessage message) throws ProtocolEncoderException {
        if (message instanceof DesiredState state) {
            return encodeDesiredState(state);
        }
        if (message instanceof ArtifactChunk chunk) {
            return encodeChunk(chunk);
        }
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new ProtocolEncoderException("Cannot encode " + message.type() + ": " + e.getOriginalMessage(), e);
        }
    }

    static ControlMessage decode(FrameType type, byte[] payload) throws ProtocolDecoderException {
        if (type == FrameType.DESIRED_STATE) {
            return decodeDesiredState(payload);
        }
        if (type == FrameType.ARTIFACT_CHUNK) {
            return decodeChunk(payload);
        }
        if (payload.length == 0) {
            throw new FrameDecodingException("Invalid " + type + " payload: it is empty");
        }
        try {
            return MAPPER.readValue(payload, messageClass(type));
        } catch (JacksonException e) {
            throw new FrameDecodingException("Invalid " + type + " payload: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new FrameDecodingException("Invalid " + type + " payload: " + e.getMessage(), e);
        }
    }

    private static Class<? extends ControlMessage> messageClass(FrameType type) {
        return switch (type) {
            case HELLO -> Hello.class;
            case HELLO_ACK -> HelloAck.class;
            case HEARTBEAT -> Heartbeat.class;
            case HEARTBEAT_ACK -> HeartbeatAck.class;
            case STATUS -> Status.class;
            case DESIRED_STATE -> DesiredState.class;
            case STATE_ACK -> StateAck.class;
            case RENEW_REQUEST -> RenewRequest.class;
            case RENEW_RESPONSE -> RenewResponse.class;
            case ERROR -> ErrorMessage.class;
            case ARTIFACT_REQUEST -> ArtifactRequest.class;
            case ARTIFACT_CHUNK -> ArtifactChunk.class;
            case FLOW_RECORDS -> FlowRecords.class;
            case FLOW_ACK -> FlowAck.class;
        };
    }

    private static byte[] encodeDesiredState(DesiredState state) {
        byte[] envelope = state.envelope();
        return ByteBuffer.allocate(Long.BYTES + envelope.length)
                .putLong(state.revision())
                .put(envelope)
                .array();
    }

    private static DesiredState decodeDesiredState(byte[] payload) throws ProtocolDecoderException {
        if (payload.length <= Long.BYTES) {
            throw new FrameDecodingException("Invalid DESIRED_STATE payload: " + payload.length
                    + " bytes is too short for an 8-byte revision and a non-empty envelope");
        }
        long revision = ByteBuffer.wrap(payload).getLong();
        try {
            return new DesiredState(revision, Arrays.copyOfRange(payload, Long.BYTES, payload.length));
        } catch (IllegalArgumentException e) {
            throw new FrameDecodingException("Invalid DESIRED_STATE payload: " + e.getMessage(), e);
        }
    }

    private static byte[] encodeChunk(ArtifactChunk chunk) {
        byte[] data = chunk.data();
        return ByteBuffer.allocate(CHUNK_HEADER_BYTES + data.length)
                .put(chunk.sha256Bytes())
                .putLong(chunk.offset())
                .putLong(chunk.totalSize())
                .put(data)
                .array();
    }

    private static ArtifactChunk decodeChunk(byte[] payload) throws ProtocolDecoderException {
        if (payload.length < CHUNK_HEADER_BYTES) {
            throw new FrameDecodingException("Invalid ARTIFACT_CHUNK payload: " + payload.length
                    + " bytes is too short for a 32-byte SHA-256, an 8-byte offset and an 8-byte size");
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        byte[] digest = new byte[SHA256_BYTES];
        buffer.get(digest);
        long offset = buffer.getLong();
        long totalSize = buffer.getLong();
        try {
            return new ArtifactChunk(HexFormat.of().formatHex(digest), offset, totalSize,
                    Arrays.copyOfRange(payload, CHUNK_HEADER_BYTES, payload.length));
        } catch (IllegalArgumentException e) {
            throw new FrameDecodingException("Invalid ARTIFACT_CHUNK payload: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }
}
