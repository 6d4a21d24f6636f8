package io.weft.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.mesh.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

/** The frame decoder on an in-memory session, without sockets. */
class FrameDecoderTest {

    private static final int MAX_PAYLOAD = 64 * 1024;

    private static final List<Frame> ALL_TYPES = List.of(
            new Frame.Open(1, "postgres", Map.of("source", "edge-a.east.acme.example", "ü", "ßtraße")),
            new Frame.Data(1, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), false),
            new Frame.Data(3, ByteBuffer.allocate(0), true),
            new Frame.WindowUpdate(1, Integer.MAX_VALUE),
            new Frame.Fin(2),
            new Frame.Reset(4, ErrorCode.NOT_ALLOWED, "policy 'deny-all' denies the stream"),
            new Frame.Ping(-1L),
            new Frame.Pong(42L),
            new Frame.GoAway(7, ErrorCode.PROTOCOL_ERROR, ""));

    private final DummySession session = new DummySession();
    private final List<Frame> decoded = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(MAX_PAYLOAD);

    @Test
    void decodesEveryTypeWhole() throws Exception {
        for (Frame frame : ALL_TYPES) {
            decoder.decode(session, Frames.encode(frame).buf(), this::keep);
        }

        assertThat(decoded()).containsExactlyElementsOf(ALL_TYPES);
    }

    @Test
    void decodesFramesFedByteByByte() throws Exception {
        IoBuffer all = concatenated(ALL_TYPES);

        while (all.hasRemaining()) {
            decoder.decode(session, IoBuffer.wrap(new byte[] {all.get()}).buf(), this::keep);
        }

        assertThat(decoded()).containsExactlyElementsOf(ALL_TYPES);
    }

    @Test
    void decodesConcatenatedFramesInOneRead() throws Exception {
        decoder.decode(session, concatenated(ALL_TYPES).buf(), this::keep);

        assertThat(decoded()).containsExactlyElementsOf(ALL_TYPES);
    }

    @Test
    void decodesFrameOfMaximumPayload() throws Exception {
        byte[] payload = new byte[MAX_PAYLOAD];
        payload[MAX_PAYLOAD - 1] = 7;

        decoder.decode(session, Frames.encode(new Frame.Data(9, ByteBuffer.wrap(payload), false)).buf(), this::keep);

        Frame.Data data = (Frame.Data) decoded().get(0);
        assertThat(data.payload().remaining()).isEqualTo(MAX_PAYLOAD);
        assertThat(data.payload().get(MAX_PAYLOAD - 1)).isEqualTo((byte) 7);
    }

    @Test
    void rejectsOversizedFrameFromHeaderAlone() {
        IoBuffer header = header(0xFFFFFF, FrameType.DATA.code(), 0, 1);

        assertThatThrownBy(() -> decoder.decode(session, header.buf(), this::keep))
                .isInstanceOf(FrameDecodingException.class)
                .hasMessage("Invalid frame length 16777215: it exceeds the maximum payload size of 65536 bytes");
    }

    @Test
    void discardsInputAfterFailure() throws Exception {
        assertThatThrownBy(() -> decoder.decode(session, header(MAX_PAYLOAD + 1, 2, 0, 1).buf(), this::keep))
                .isInstanceOf(FrameDecodingException.class);

        decoder.decode(session, Frames.encode(new Frame.Ping(1)).buf(), this::keep);

        assertThat(decoded()).isEmpty();
    }

    @Test
    void rejectsUnknownType() {
        assertThatThrownBy(() -> decoder.decode(session, header(0, 99, 0, 1).buf(), this::keep))
                .isInstanceOf(FrameDecodingException.class)
                .hasMessage("Unknown frame type 99: known types are 1 to 8");
    }

    @Test
    void rejectsMalformedFrames() {
        record Case(IoBuffer input, String message) {
        }
        List<Case> cases = List.of(
                new Case(header(0, FrameType.DATA.code(), 0, 0),
                        "Invalid DATA frame: stream id 0 is reserved for PING, PONG and GOAWAY"),
                new Case(header(8, FrameType.PING.code(), 0, 3, new byte[8]),
                        "Invalid PING frame: its stream id is 3 but must be 0"),
                new Case(header(0, FrameType.FIN.code(), 0, 0x80000001),
                        "Invalid FIN frame: the reserved top bit of the stream id is set"),
                new Case(header(7, FrameType.PING.code(), 0, 0, new byte[7]),
                        "Invalid PING frame: its payload is 7 bytes but must be 8"),
                new Case(header(4, FrameType.WINDOW_UPDATE.code(), 0, 1, new byte[4]),
                        "Invalid WINDOW_UPDATE frame on stream 1: the increment 0 is not between 1 and 2147483647"),
                new Case(header(1, FrameType.FIN.code(), 0, 1, new byte[1]),
                        "Invalid FIN frame: its payload is 1 bytes but must be 0"),
                new Case(header(3, FrameType.RESET.code(), 0, 1, new byte[3]),
                        "Invalid RESET frame: its payload is 3 bytes but must be at least 4"),
                new Case(header(5, FrameType.OPEN.code(), 0, 1, new byte[] {0, 2, (byte) 0xC3, (byte) 0x28, 0}),
                        "Invalid OPEN frame: the target is not valid UTF-8"),
                new Case(header(3, FrameType.OPEN.code(), 0, 1, new byte[] {0, 0, 0}),
                        "Invalid OPEN frame on stream 1: the target must be 1 to 1024 bytes"),
                new Case(header(4, FrameType.OPEN.code(), 0, 1, new byte[] {0, 9, 'a', 0}),
                        "Invalid OPEN frame: the target needs 9 bytes but only 2 remain"),
                new Case(header(5, FrameType.OPEN.code(), 0, 1, new byte[] {0, 1, 'a', 0, 9}),
                        "Invalid OPEN frame on stream 1: 1 bytes follow the metadata"));

        for (Case c : cases) {
            DummySession fresh = new DummySession();
            assertThatThrownBy(() -> new FrameDecoder(MAX_PAYLOAD).decode(fresh, c.input().buf(), frame -> { }))
                    .as("decoding %s", c.message())
                    .isInstanceOf(FrameDecodingException.class)
                    .hasMessage(c.message());
        }
    }

    @Test
    void encodesDataFromSliceOfSource() {
        ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});

        IoBuffer frame = Frames.encodeData(5, source, 3, true);

        assertThat(source.position()).isEqualTo(3);
        assertThat(frame.remaining()).isEqualTo(Frames.HEADER_BYTES + 3);
        assertThat(frame.get(4)).as("flags").isEqualTo((byte) Frames.FLAG_FIN);
    }

    private List<Frame> decoded() {
        return List.copyOf(decoded);
    }

    /** Keeps a frame beyond the decoder's call, so a DATA payload needs a copy. */
    private void keep(Frame frame) {
        if (frame instanceof Frame.Data data) {
            ByteBuffer copy = ByteBuffer.allocate(data.payload().remaining()).put(data.payload().duplicate()).flip();
            decoded.add(new Frame.Data(data.streamId(), copy, data.fin(), data.blocked()));
        } else {
            decoded.add(frame);
        }
    }

    private static IoBuffer concatenated(List<Frame> frames) {
        IoBuffer all = IoBuffer.allocate(1024).setAutoExpand(true);
        frames.forEach(frame -> all.put(Frames.encode(frame)));
        return all.flip();
    }

    private static IoBuffer header(int length, int type, int flags, int streamId, byte... payload) {
        IoBuffer buffer = IoBuffer.allocate(Frames.HEADER_BYTES + payload.length);
        buffer.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        buffer.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        return buffer.flip();
    }
}
