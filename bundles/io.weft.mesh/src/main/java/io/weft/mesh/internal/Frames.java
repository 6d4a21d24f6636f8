package io.weft.mesh.internal;

import io.weft.mesh.ErrorCode;
import io.weft.mesh.MeshTunnel;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mina.core.buffer.IoBuffer;

/**
 * The frame format of a mesh tunnel. Every frame is a 9-byte header and a payload, all
 * integers big-endian:
 *
 * <pre>
 * length   3 bytes  payload length, at most the receiver's maximum frame payload
 * type     1 byte   {@link FrameType} code
 * flags    1 byte   on DATA: 0x01 FIN, and 0x02 BLOCKED when the sender's bytes had to wait
 *                  for window before this frame. Other bits are sent as 0 and ignored, so a
 *                  receiver that does not know BLOCKED ignores it
 * stream   4 bytes  stream id; the top bit is reserved and must be 0
 * payload:
 *   OPEN           u16 target length, target (UTF-8), u8 entry count, then per entry
 *                  u8 key length, key (UTF-8), u16 value length, value (UTF-8)
 *   DATA           the stream's bytes
 *   WINDOW_UPDATE  u32 increment in bytes, 1 to 2^31-1
 *   FIN            empty
 *   RESET          u32 error code, reason (UTF-8)
 *   PING, PONG     8 opaque bytes, which the PONG echoes; stream id 0
 *   GOAWAY         u32 last processed stream id, u32 error code, reason (UTF-8); stream id 0
 * </pre>
 */
public final class Frames {

    public static final int HEADER_BYTES = 9;
    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_BLOCKED = 0x02;
    /** Maximum reason length that this side sends, in characters; longer reasons are cut. */
    static final int MAX_REASON_CHARS = 256;

    private Frames() {
    }

    /**
     * Decodes one frame from {@code in}. The header is checked before the payload arrives, so
     * an oversized length is rejected without waiting for or allocating its payload.
     *
     * @return the frame with {@code in} positioned after it, or null when {@code in} does not
     *     yet hold a whole frame, with its position unchanged
     * @throws FrameDecodingException when the input is not a valid frame
     */
    public static Frame decode(ByteBuffer in, int maxPayloadBytes) throws FrameDecodingException {
        return decode(in, maxPayloadBytes, true);
    }

    /**
     * Decodes one frame from {@code in}, as {@link #decode(ByteBuffer, int)} does. With
     * {@code copyData} false, a DATA frame's payload is a view of {@code in}, valid while the
     * caller leaves those bytes unchanged.
     */
    static Frame decode(ByteBuffer in, int maxPayloadBytes, boolean copyData) throws FrameDecodingException {
        if (in.remaining() < HEADER_BYTES) {
            return null;
        }
        int start = in.position();
        int length = payloadLength(in, start);
        int code = in.get(start + 3) & 0xFF;
        int flags = in.get(start + 4) & 0xFF;
        int streamId = in.getInt(start + 5);
        FrameType type = checkHeader(length, code, streamId, maxPayloadBytes);
        if (in.remaining() < HEADER_BYTES + length) {
            return null;
        }

        ByteBuffer payload = in.duplicate();
        payload.position(start + HEADER_BYTES).limit(start + HEADER_BYTES + length);
        in.position(start + HEADER_BYTES + length);
        return parse(type, flags, streamId, payload.slice(), copyData);
    }

    /** Returns the payload length from the header that starts at {@code start}, without checking it. */
    static int payloadLength(ByteBuffer in, int start) {
        return (in.get(start) & 0xFF) << 16 | (in.get(start + 1) & 0xFF) << 8 | in.get(start + 2) & 0xFF;
    }

    private static FrameType checkHeader(int length, int code, int streamId, int maxPayloadBytes)
            throws FrameDecodingException {
        if (length > maxPayloadBytes) {
            throw new FrameDecodingException("Invalid frame length " + length + ": it exceeds the maximum payload size "
                    + "of " + maxPayloadBytes + " bytes");
        }
        FrameType type = FrameType.fromCode(code);
        if (type == null) {
            throw new FrameDecodingException("Unknown frame type " + code + ": known types are 1 to "
                    + FrameType.values().length);
        }
        if (streamId < 0) {
            throw new FrameDecodingException("Invalid " + type + " frame: the reserved top bit of the stream id is set");
        }
        if (type.isOnStream() && streamId == 0) {
            throw new FrameDecodingException("Invalid " + type + " frame: stream id 0 is reserved for PING, PONG "
                    + "and GOAWAY");
        }
        if (!type.isOnStream() && streamId != 0) {
            throw new FrameDecodingException("Invalid " + type + " frame: its stream id is " + streamId
                    + " but must be 0");
        }
        return type;
    }

    private static Frame parse(FrameType type, int flags, int streamId, ByteBuffer payload, boolean copyData)
            throws FrameDecodingException {
        return switch (type) {
            case OPEN -> parseOpen(streamId, payload);
            case DATA -> new Frame.Data(streamId, copyData ? copy(payload) : payload, (flags & FLAG_FIN) != 0,
                    (flags & FLAG_BLOCKED) != 0);
            case WINDOW_UPDATE -> parseWindowUpdate(streamId, payload);
            case FIN -> {
                requireLength(type, payload, 0);
                yield new Frame.Fin(streamId);
            }
            case RESET -> {
                requireMinLength(type, payload, 4);
                yield new Frame.Reset(streamId, ErrorCode.fromCode(payload.getInt()), utf8(type, "reason", payload));
            }
            case PING -> {
                requireLength(type, payload, 8);
                yield new Frame.Ping(payload.getLong());
            }
            case PONG -> {
                requireLength(type, payload, 8);
                yield new Frame.Pong(payload.getLong());
            }
            case GOAWAY -> parseGoAway(payload);
        };
    }

    private static Frame parseOpen(int streamId, ByteBuffer payload) throws FrameDecodingException {
        requireMinLength(FrameType.OPEN, payload, 3);
        String target = utf8(FrameType.OPEN, "target", take(payload, payload.getShort() & 0xFFFF, "target"));
        if (target.isEmpty() || target.getBytes(StandardCharsets.UTF_8).length > MeshTunnel.MAX_TARGET_BYTES) {
            throw new FrameDecodingException("Invalid OPEN frame on stream " + streamId + ": the target must be 1 to "
                    + MeshTunnel.MAX_TARGET_BYTES + " bytes");
        }
        int entries = take(payload, 1, "metadata count").get() & 0xFF;
        if (entries > MeshTunnel.MAX_METADATA_ENTRIES) {
            throw new FrameDecodingException("Invalid OPEN frame on stream " + streamId + ": " + entries
                    + " metadata entries, more than the maximum of " + MeshTunnel.MAX_METADATA_ENTRIES);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = utf8(FrameType.OPEN, "metadata key", take(payload, take(payload, 1, "key").get() & 0xFF, "key"));
            ByteBuffer value = take(payload, take(payload, 2, "value").getShort() & 0xFFFF, "value");
            if (key.isEmpty() || value.remaining() > MeshTunnel.MAX_METADATA_VALUE_BYTES) {
                throw new FrameDecodingException("Invalid OPEN frame on stream " + streamId + ": metadata keys must "
                        + "not be empty and values must be at most " + MeshTunnel.MAX_METADATA_VALUE_BYTES + " bytes");
            }
            metadata.put(key, utf8(FrameType.OPEN, "metadata value", value));
        }
        if (payload.hasRemaining()) {
            throw new FrameDecodingException("Invalid OPEN frame on stream " + streamId + ": " + payload.remaining()
                    + " bytes follow the metadata");
        }
        return new Frame.Open(streamId, target, Map.copyOf(metadata));
    }

    private static Frame parseWindowUpdate(int streamId, ByteBuffer payload) throws FrameDecodingException {
        requireLength(FrameType.WINDOW_UPDATE, payload, 4);
        int increment = payload.getInt();
        if (increment <= 0) {
            throw new FrameDecodingException("Invalid WINDOW_UPDATE frame on stream " + streamId + ": the increment "
                    + Integer.toUnsignedString(increment) + " is not between 1 and " + Integer.MAX_VALUE);
        }
        return new Frame.WindowUpdate(streamId, increment);
    }

    private static Frame parseGoAway(ByteBuffer payload) throws FrameDecodingException {
        requireMinLength(FrameType.GOAWAY, payload, 8);
        int lastStreamId = payload.getInt();
        if (lastStreamId < 0) {
            throw new FrameDecodingException("Invalid GOAWAY frame: the reserved top bit of the last stream id is set");
        }
        ErrorCode code = ErrorCode.fromCode(payload.getInt());
        return new Frame.GoAway(lastStreamId, code, utf8(FrameType.GOAWAY, "reason", payload));
    }

    /** Encodes any frame; DATA frames from the multiplexer use {@link #encodeData} instead, to avoid a copy. */
    public static IoBuffer encode(Frame frame) {
        return switch (frame.type()) {
            case OPEN -> encodeOpen((Frame.Open) frame);
            case DATA -> {
                Frame.Data data = (Frame.Data) frame;
                yield encodeData(data.streamId(), data.payload().duplicate(), data.payload().remaining(), data.fin(),
                        data.blocked());
            }
            case WINDOW_UPDATE -> header(FrameType.WINDOW_UPDATE, 0, frame.streamId(), 4)
                    .putInt(((Frame.WindowUpdate) frame).increment()).flip();
            case FIN -> header(FrameType.FIN, 0, frame.streamId(), 0).flip();
            case RESET -> {
                Frame.Reset reset = (Frame.Reset) frame;
                yield withReason(FrameType.RESET, reset.streamId(), reset.reason(), reset.code().code());
            }
            case PING -> header(FrameType.PING, 0, 0, 8).putLong(((Frame.Ping) frame).opaque()).flip();
            case PONG -> header(FrameType.PONG, 0, 0, 8).putLong(((Frame.Pong) frame).opaque()).flip();
            case GOAWAY -> {
                Frame.GoAway goAway = (Frame.GoAway) frame;
                yield withReason(FrameType.GOAWAY, 0, goAway.reason(), goAway.lastStreamId(), goAway.code().code());
            }
        };
    }

    /** Encodes a DATA frame with the next {@code length} bytes of {@code source}, advancing it. */
    public static IoBuffer encodeData(int streamId, ByteBuffer source, int length, boolean fin) {
        return encodeData(streamId, source, length, fin, false);
    }

    /**
     * Encodes a DATA frame with the next {@code length} bytes of {@code source}, advancing it,
     * with the BLOCKED flag when {@code blocked}.
     */
    public static IoBuffer encodeData(int streamId, ByteBuffer source, int length, boolean fin, boolean blocked) {
        int flags = (fin ? FLAG_FIN : 0) | (blocked ? FLAG_BLOCKED : 0);
        IoBuffer frame = header(FrameType.DATA, flags, streamId, length);
        int limit = source.limit();
        source.limit(source.position() + length);
        frame.put(source);
        source.limit(limit);
        return frame.flip();
    }

    /**
     * Returns the problem with {@code target} and {@code metadata} as an OPEN frame, or null
     * when they fit its limits.
     */
    static String openProblem(String target, Map<String, String> metadata) {
        int targetBytes = target == null ? 0 : target.getBytes(StandardCharsets.UTF_8).length;
        if (targetBytes == 0 || targetBytes > MeshTunnel.MAX_TARGET_BYTES) {
            return "the target must be 1 to " + MeshTunnel.MAX_TARGET_BYTES + " bytes of UTF-8, not " + targetBytes;
        }
        if (metadata.size() > MeshTunnel.MAX_METADATA_ENTRIES) {
            return "the metadata has " + metadata.size() + " entries, more than " + MeshTunnel.MAX_METADATA_ENTRIES;
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            int keyBytes = entry.getKey().getBytes(StandardCharsets.UTF_8).length;
            int valueBytes = entry.getValue().getBytes(StandardCharsets.UTF_8).length;
            if (keyBytes == 0 || keyBytes > MeshTunnel.MAX_METADATA_KEY_BYTES
                    || valueBytes > MeshTunnel.MAX_METADATA_VALUE_BYTES) {
                return "the metadata key '" + entry.getKey() + "' must be 1 to " + MeshTunnel.MAX_METADATA_KEY_BYTES
                        + " bytes and its value at most " + MeshTunnel.MAX_METADATA_VALUE_BYTES + " bytes";
            }
        }
        return null;
    }

    private static IoBuffer encodeOpen(Frame.Open open) {
        byte[] target = open.target().getBytes(StandardCharsets.UTF_8);
        int length = 2 + target.length + 1;
        for (Map.Entry<String, String> entry : open.metadata().entrySet()) {
            length += 1 + entry.getKey().getBytes(StandardCharsets.UTF_8).length + 2
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        IoBuffer frame = header(FrameType.OPEN, 0, open.streamId(), length);
        frame.putShort((short) target.length).put(target).put((byte) open.metadata().size());
        for (Map.Entry<String, String> entry : open.metadata().entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            frame.put((byte) key.length).put(key).putShort((short) value.length).put(value);
        }
        return frame.flip();
    }

    private static IoBuffer withReason(FrameType type, int streamId, String reason, int... fields) {
        String cut = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        byte[] text = cut.getBytes(StandardCharsets.UTF_8);
        IoBuffer frame = header(type, 0, streamId, 4 * fields.length + text.length);
        for (int field : fields) {
            frame.putInt(field);
        }
        return frame.put(text).flip();
    }

    private static IoBuffer header(FrameType type, int flags, int streamId, int length) {
        IoBuffer frame = IoBuffer.allocate(HEADER_BYTES + length, false);
        frame.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        frame.put((byte) type.code()).put((byte) flags).putInt(streamId);
        return frame;
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload).flip();
        return copy;
    }

    private static ByteBuffer take(ByteBuffer payload, int length, String field) throws FrameDecodingException {
        if (payload.remaining() < length) {
            throw new FrameDecodingException("Invalid OPEN frame: the " + field + " needs " + length
                    + " bytes but only " + payload.remaining() + " remain");
        }
        ByteBuffer part = payload.slice();
        part.limit(length);
        payload.position(payload.position() + length);
        return part;
    }

    private static void requireLength(FrameType type, ByteBuffer payload, int length) throws FrameDecodingException {
        if (payload.remaining() != length) {
            throw new FrameDecodingException("Invalid " + type + " frame: its payload is " + payload.remaining()
                    + " bytes but must be " + length);
        }
    }

    private static void requireMinLength(FrameType type, ByteBuffer payload, int length)
            throws FrameDecodingException {
        if (payload.remaining() < length) {
            throw new FrameDecodingException("Invalid " + type + " frame: its payload is " + payload.remaining()
                    + " bytes but must be at least " + length);
        }
    }

    private static String utf8(FrameType type, String field, ByteBuffer bytes) throws FrameDecodingException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new FrameDecodingException("Invalid " + type + " frame: the " + field + " is not valid UTF-8");
        }
    }
}
